package io.dbcomposite.differential.model;

/** Stored by ordinal. */
public enum Viability { UNKNOWN, LOW, FAIR, HIGH }
