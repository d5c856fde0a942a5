package io.dbcomposite.bulk;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeRoutingException;
import io.dbcomposite.testing.StandaloneUnit;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaDelete;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bulk statement aimed at an entity changes the rows of its subclasses too. Aimed at a local-only superclass
 * ({@code Shape}, sync=NONE) whose subclass {@code Circle} is captured, it would delete or change circles in the
 * local database only, and the remote would keep them: it is refused, naming the subclass. Aimed at a subclass that
 * is local only like its superclass ({@code Square}), it runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolymorphicBulkMutationTest {

    private StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("PolymorphicBulkMutationTest", Shape.class, Circle.class, Square.class);
        inTransaction(em -> {
            em.persist(new Shape(1L, "plain"));
            em.persist(new Circle(2L, "small", 1.0));
            em.persist(new Circle(3L, "large", 9.0));
            em.persist(new Square(4L, "tile", 2.0));
        });
        unit.emf.sync();
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    private void inTransaction(Consumer<CompositeEntityManager> work) {
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            try {
                work.accept(em);
                em.getTransaction().commit();
            } finally {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
            }
        }
    }

    private void assertCirclesOnBothSides() {
        assertThat(unit.local("select count(*) from Shape where kind = 'Circle'")).isEqualTo(2);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from shape where kind = 'Circle'")).isEqualTo(2);
    }

    @Test
    void a_bulk_delete_of_a_local_only_superclass_with_a_captured_subclass_is_refused_naming_the_subclass() {
        for (String hql : new String[] {"delete from Shape", "delete from Shape s where s.label = 'large'",
                "update Shape s set s.label = 'renamed'"}) {
            try (CompositeEntityManager em = unit.emf.createEntityManager()) {
                em.getTransaction().begin();
                assertThatThrownBy(() -> em.createQuery(hql).executeUpdate())
                        .as(hql)
                        .isInstanceOf(CompositeRoutingException.class)
                        .hasMessageContaining("'Shape'")
                        .hasMessageContaining("subclass 'Circle'")
                        .hasMessageContaining("skip the sync log");
                em.getTransaction().rollback();
            }
        }
        assertCirclesOnBothSides();
        assertThat(unit.local("select count(*) from Shape where label = 'renamed'")).isZero();
    }

    @Test
    void a_criteria_bulk_delete_of_the_superclass_is_refused_the_same_way() {
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaDelete<Shape> delete = cb.createCriteriaDelete(Shape.class);
            delete.from(Shape.class);
            assertThatThrownBy(() -> em.createQuery(delete).executeUpdate())
                    .isInstanceOf(CompositeRoutingException.class)
                    .hasMessageContaining("subclass 'Circle'");
            em.getTransaction().rollback();
        }
        assertCirclesOnBothSides();
    }

    @Test
    void an_hql_insert_into_a_captured_subclass_is_refused_and_into_a_local_only_one_runs() {
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            assertThatThrownBy(() -> em.createQuery("insert into Circle (id, label, radius) values (9, 'inserted', 3.0)")
                    .executeUpdate())
                    .isInstanceOf(CompositeRoutingException.class)
                    .hasMessageContaining("'Circle'")
                    .hasMessageContaining("skip the sync log");
            em.getTransaction().rollback();
        }
        inTransaction(em -> assertThat(em.createQuery("insert into Square (id, label, side) values (8, 'inserted', 1.0)")
                .executeUpdate()).isEqualTo(1));
        assertThat(unit.local("select count(*) from Shape where label = 'inserted'")).isEqualTo(1);
        assertThat(unit.local("select count(*) from Shape where id = 8 and kind = 'Square'")).isEqualTo(1);
        assertCirclesOnBothSides();
    }

    @Test
    void a_bulk_statement_on_a_subclass_that_is_local_only_like_its_superclass_runs_locally() {
        inTransaction(em -> assertThat(em.createQuery("update Square s set s.label = 'floor' where s.id = 4").executeUpdate())
                .isEqualTo(1));
        assertThat(unit.local("select count(*) from Shape where kind = 'Square' and label = 'floor'")).isEqualTo(1);
        assertCirclesOnBothSides();
    }
}
