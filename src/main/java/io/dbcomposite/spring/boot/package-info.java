/**
 * Spring Boot 4 integration, in the library's jar with Spring as optional dependencies: Boot loads
 * {@link io.dbcomposite.spring.boot.DbCompositeAutoConfiguration} when {@code dbcomposite.remote.url} or
 * {@code dbcomposite.remote.datasource} is set, and the core never loads a class of this package.
 */
package io.dbcomposite.spring.boot;
