package io.dbcomposite.differential.model;

/** Stored by name. */
public enum JarSize { SMALL, MEDIUM, LARGE }
