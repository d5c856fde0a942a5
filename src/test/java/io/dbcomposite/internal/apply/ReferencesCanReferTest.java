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
 * let an insert run before a row it needs; one it wrongly calls able costs a decode. {@link References#collect} finds
 * the rows behind element collections too, which the commit of a remote-only entity takes along.
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
        @ElementCollection
        List<Address> stops = new ArrayList<>();
        @ElementCollection
        @jakarta.persistence.MapKeyJoinColumn(name = "shelf_key")
        Map<Shelf, Integer> perShelf = new HashMap<>();
        @ElementCollection
        Map<Dimensions, String> bySize = new HashMap<>();
    }

    @Test
    void only_to_ones_owned_entity_collections_and_embeddables_holding_them_can_refer_to_rows() {
        try (EntityManagerFactory emf = new HibernatePersistenceConfiguration("references-can-refer")
                .managedClasses(Shelf.class, Box.class)
                .jdbcUrl("jdbc:h2:mem:references-can-refer")
                .property("hibernate.hbm2ddl.auto", "create-drop")
                .createEntityManagerFactory()) {
            SessionFactoryImplementor factory = emf.unwrap(SessionFactory.class).unwrap(SessionFactoryImplementor.class);
            assertThat(referring(factory, Box.class)).containsExactlyInAnyOrder("shelf", "address", "alsoOn", "stops", "perShelf");
            assertThat(referring(factory, Shelf.class)).as("an inverse collection writes no rows of its own").isEmpty();
        }
    }

    @Test
    void collect_finds_the_rows_an_element_collection_refers_to_through_its_embeddables_and_map_keys() {
        try (EntityManagerFactory emf = new HibernatePersistenceConfiguration("references-collect")
                .managedClasses(Shelf.class, Box.class)
                .jdbcUrl("jdbc:h2:mem:references-collect")
                .property("hibernate.hbm2ddl.auto", "create-drop")
                .createEntityManagerFactory()) {
            SessionFactoryImplementor factory = emf.unwrap(SessionFactory.class).unwrap(SessionFactoryImplementor.class);
            Box box = new Box();
            box.id = 1L;
            Address stop = new Address();
            stop.depot = shelf(7);
            box.stops.add(stop);
            box.stops.add(new Address()); // no depot: refers to nothing
            box.perShelf.put(shelf(8), 2);
            Dimensions size = new Dimensions();
            size.width = 3;
            box.bySize.put(size, "small");
            EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(Box.class);
            java.util.Set<RowRef> rows = new java.util.HashSet<>();
            try (org.hibernate.StatelessSession stateless = factory.openStatelessSession()) {
                var s = (org.hibernate.engine.spi.SharedSessionContractImplementor) stateless;
                References.collect(persister, persister.getValues(box), s, rows);
                EntityPersister shelves = factory.getMappingMetamodel().getEntityDescriptor(Shelf.class);
                assertThat(rows).containsExactlyInAnyOrder(References.rowOf(shelves, 7L, s), References.rowOf(shelves, 8L, s));
            }
        }
    }

    private static Shelf shelf(long id) {
        Shelf shelf = new Shelf();
        shelf.id = id;
        return shelf;
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
