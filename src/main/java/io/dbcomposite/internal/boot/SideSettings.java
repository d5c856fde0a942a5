package io.dbcomposite.internal.boot;

import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.service.ServiceRegistry;

/** The settings {@link SideFactoryBuilder} puts on a side, as the type contributors of that side read them. */
final class SideSettings {

    private SideSettings() {
    }

    /** @return whether the side whose services these are carries {@code setting} as {@code true} */
    static boolean on(ServiceRegistry serviceRegistry, String setting) {
        ConfigurationService configuration = serviceRegistry.getService(ConfigurationService.class);
        Object on = configuration == null ? null : configuration.getSettings().get(setting);
        return on != null && Boolean.parseBoolean(on.toString());
    }
}
