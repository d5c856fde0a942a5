package io.dbcomposite.spring.boot;

import jakarta.persistence.Entity;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.persistence.autoconfigure.EntityScanPackages;
import org.springframework.core.io.ResourceLoader;
import org.springframework.orm.jpa.persistenceunit.ManagedClassNameFilter;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypesScanner;
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the unit's managed classes as Spring Boot's own JPA set-up does: the packages of {@code @EntityScan}, else the
 * auto-configuration packages (the package of the {@code @SpringBootApplication} class), scanned for entities,
 * embeddables, mapped superclasses and converters.
 */
final class EntityPackages {

    private EntityPackages() {
    }

    /** @return the packages to scan, or an empty list when the context names none */
    static List<String> of(BeanFactory beanFactory) {
        List<String> packages = EntityScanPackages.get(beanFactory).getPackageNames();
        if (packages.isEmpty() && AutoConfigurationPackages.has(beanFactory)) {
            packages = AutoConfigurationPackages.get(beanFactory);
        }
        return packages;
    }

    /** @return every managed class found in those packages, in the scanner's order */
    static List<Class<?>> managedClasses(BeanFactory beanFactory, ResourceLoader resourceLoader) {
        return managedClasses(beanFactory, resourceLoader, null);
    }

    /**
     * @param filter the application's {@code ManagedClassNameFilter} bean, or null
     * @return every managed class found in those packages that the filter keeps, in the scanner's order
     */
    static List<Class<?>> managedClasses(BeanFactory beanFactory, ResourceLoader resourceLoader, ManagedClassNameFilter filter) {
        List<String> packages = of(beanFactory);
        if (packages.isEmpty()) {
            return List.of();
        }
        PersistenceManagedTypesScanner scanner = filter == null ? new PersistenceManagedTypesScanner(resourceLoader)
                : new PersistenceManagedTypesScanner(resourceLoader, filter);
        List<String> names = scanner.scan(packages.toArray(String[]::new)).getManagedClassNames();
        List<Class<?>> classes = new ArrayList<>(names.size());
        for (String name : names) {
            classes.add(ClassUtils.resolveClassName(name, resourceLoader.getClassLoader()));
        }
        return classes;
    }

    /** @return whether one of them is an {@code @Entity} */
    static boolean hasEntity(List<Class<?>> managed) {
        return managed.stream().anyMatch(c -> c.isAnnotationPresent(Entity.class));
    }
}
