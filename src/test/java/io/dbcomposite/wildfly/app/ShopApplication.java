package io.dbcomposite.wildfly.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JAX-RS application of the test WAR deployed to WildFly (see {@code WildFlyContainerTest}). */
@ApplicationPath("/api")
public class ShopApplication extends Application {
}
