package io.dbcomposite.spring.app;

/** An interface projection. */
public interface CustomerName {
    String getFullName();
}
