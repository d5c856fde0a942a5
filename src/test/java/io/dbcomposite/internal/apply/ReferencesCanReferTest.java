package io.dbcomposite.internal.apply;

import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.persister.entity.EntityPersister;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link References#canRefer} tells which attributes the replay must decode to order a transaction's inserts: exactly
 * those whose values {@link References#collect} can find rows in. An attribute it wrongly calls unable to refer would
 * let an insert run before a row it needs; one it wrongly calls able costs a decode.
 */
class ReferencesCanReferTest {

    @Embeddable
    public static class Address {
        String street;
        @ManyToOne
        Shelf depot;
    }

    @Embeddable
    public static class Dimensions {
        Integer width;
        Integer height;
    }

    @Entity(name = "RcrShelf")
    public static class Shelf {
        @Id
        Long id;
        @OneToMany(mappedBy = "shelf")
        List<Box> boxes = new ArrayList<>();
    }

    @Entity(name = "RcrBox")
    public static class Box {
        @Id
        Long id;
        String name;
        @ManyToOne
        Shelf shelf;
        @Embedded
        Address address;
        @Embedded
        Dimensions dimensions;
        @ElementCollection
        List<String> labels = new ArrayList<>();
        @ElementCollection
        List<Dimensions> sizes = new ArrayList<>();
        @ElementCollection
        Map<String, Integer> counts = new HashMap<>();
        @ManyToMany
        List<Shelf> alsoOn = new ArrayList<>();
    }

    @Test
    void only_to_ones_owned_entity_collections_and_embeddables_holding_them_can_refer_to_rows() {
        try (EntityManagerFactory emf = new HibernatePersistenceConfiguration("references-can-refer")
                .managedClasses(Shelf.class, Box.class)
                .jdbcUrl("jdbc:h2:mem:references-can-refer")
                .property("hibernate.hbm2ddl.auto", "create-drop")
                .createEntityManagerFactory()) {
            SessionFactoryImplementor factory = emf.unwrap(SessionFactory.class).unwrap(SessionFactoryImplementor.class);
            assertThat(referring(factory, Box.class)).containsExactlyInAnyOrder("shelf", "address", "alsoOn");
            assertThat(referring(factory, Shelf.class)).as("an inverse collection writes no rows of its own").isEmpty();
        }
    }

    private static List<String> referring(SessionFactoryImplementor factory, Class<?> type) {
        EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(type);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < persister.getPropertyNames().length; i++) {
            if (References.canRefer(persister.getPropertyTypes()[i], factory)) {
                out.add(persister.getPropertyNames()[i]);
            }
        }
        return out;
    }
}
