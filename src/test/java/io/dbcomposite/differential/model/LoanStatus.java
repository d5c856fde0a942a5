package io.dbcomposite.differential.model;

/** Stored by name. */
public enum LoanStatus { OPEN, OVERDUE, CLOSED }
