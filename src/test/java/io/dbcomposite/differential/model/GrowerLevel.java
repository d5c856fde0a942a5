package io.dbcomposite.differential.model;

/** Stored by name. */
public enum GrowerLevel { NOVICE, KEEPER, MASTER }
