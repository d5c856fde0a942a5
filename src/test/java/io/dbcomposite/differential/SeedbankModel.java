package io.dbcomposite.differential;

import io.dbcomposite.CompositeRoutingException;
import io.dbcomposite.differential.model.Colour;
import io.dbcomposite.differential.model.Cutting;
import io.dbcomposite.differential.model.Grower;
import io.dbcomposite.differential.model.GrowerLevel;
import io.dbcomposite.differential.model.Habitat;
import io.dbcomposite.differential.model.Jar;
import io.dbcomposite.differential.model.JarSize;
import io.dbcomposite.differential.model.Journal;
import io.dbcomposite.differential.model.Leaflet;
import io.dbcomposite.differential.model.Loan;
import io.dbcomposite.differential.model.LoanStatus;
import io.dbcomposite.differential.model.Plot;
import io.dbcomposite.differential.model.Publication;
import io.dbcomposite.differential.model.SeedPacket;
import io.dbcomposite.differential.model.Shelf;
import io.dbcomposite.differential.model.Specimen;
import io.dbcomposite.differential.model.Viability;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaDelete;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.CriteriaUpdate;
import jakarta.persistence.criteria.Join;
import jakarta.persistence.criteria.Root;
import jakarta.persistence.Tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dbcomposite.differential.RoutingKind.BACKGROUND;
import static io.dbcomposite.differential.RoutingKind.DUAL_FAIL;
import static io.dbcomposite.differential.RoutingKind.DUAL_QUEUE;
import static io.dbcomposite.differential.RoutingKind.REMOTE;
import static io.dbcomposite.differential.Step.own;
import static io.dbcomposite.differential.Step.tx;

/**
 * The seed library: the main model of the differential suite and its steps. Every id strategy but the three that
 * allocate from a sequence or table (those are in {@link TicketModel}), both inheritance strategies, ordered lists on
 * the owning and the inverse side, element collections of embeddables and basics, a map, LOBs, a converter, enums,
 * decimals and millisecond time values.
 */
final class SeedbankModel {

    private SeedbankModel() {
    }

    static final Instant T0 = Instant.parse("2026-03-01T08:15:30.125Z");
    static final LocalDateTime L0 = LocalDateTime.parse("2026-02-11T17:45:10.250");
    static final LocalDate D0 = LocalDate.parse("2026-01-15");

    static Model model() {
        return new Model("seedbank",
                List.of(Grower.class, Habitat.class, Specimen.class, SeedPacket.class, Cutting.class, Publication.class,
                        Leaflet.class, Journal.class, Shelf.class, Jar.class, Loan.class),
                steps(),
                // read=REMOTE, write=REMOTE with QUEUE is refused for IDENTITY ids and owned collections (contract);
                // those entities fail instead of queueing, the others (Habitat, Jar, Loan) stay QUEUE
                Map.of("dbcomposite.routing.Grower.onRemoteFail", "FAIL",
                        "dbcomposite.routing.Specimen.onRemoteFail", "FAIL",
                        "dbcomposite.routing.Publication.onRemoteFail", "FAIL",
                        "dbcomposite.routing.Shelf.onRemoteFail", "FAIL"),
                Set.of(),
                List.of("specimen", "id", "label"));
    }

    static Grower grower(EntityManager em, String email) {
        return em.createQuery("select g from Grower g where g.email = :e", Grower.class).setParameter("e", email).getSingleResult();
    }

    static Specimen specimen(EntityManager em, String label) {
        return em.createQuery("select s from Specimen s where s.label = :l", Specimen.class).setParameter("l", label).getSingleResult();
    }

    static Long publicationId(EntityManager em, String title) {
        return em.createQuery("select p.id from Publication p where p.title = :t", Long.class).setParameter("t", title).getSingleResult();
    }

    private static final String ADA = "ada@seeds.test";
    private static final String BASIL = "basil@seeds.test";
    private static final String CLOVER = "clover@seeds.test";

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        // ---------------------------------------------------------------- set-up: persist
        s.add(tx("persist three growers with plots and seasonal hours (IDENTITY ids)", c -> {
            Grower ada = new Grower("Ada Moss", ADA, GrowerLevel.KEEPER, D0);
            ada.getPlots().add(new Plot("A1", new BigDecimal("12.50"), true));
            ada.getPlots().add(new Plot("A2", new BigDecimal("3.75"), false));
            ada.getHours().put("spring", 14);
            ada.getHours().put("summer", 30);
            Grower basil = new Grower("Basil Fern", BASIL, GrowerLevel.NOVICE, D0.plusDays(40));
            basil.getPlots().add(new Plot("B7", new BigDecimal("8.00"), true));
            basil.getHours().put("autumn", 6);
            Grower clover = new Grower("Clover Reed", CLOVER, GrowerLevel.MASTER, D0.minusYears(3));
            c.em().persist(ada);
            c.em().persist(basil);
            c.em().persist(clover);
            return List.of(ada.getId(), basil.getId(), clover.getId(), c.em().contains(ada));
        }));
        s.add(tx("persist five habitats (assigned text ids)", c -> {
            c.em().persist(new Habitat("MEADOW", "Wet meadow", 120));
            c.em().persist(new Habitat("BOG", "Raised bog", 310));
            c.em().persist(new Habitat("SCREE", "Limestone scree", 1450));
            c.em().persist(new Habitat("WOOD", "Beech wood", null));
            c.em().persist(new Habitat("DUNE", "Grey dune", 4));
            return c.em().find(Habitat.class, "BOG");
        }));
        s.add(tx("persist seed packets and cuttings (SINGLE_TABLE, UUID ids, converter, many-to-many)", c -> {
            EntityManager em = c.em();
            Grower ada = grower(em, ADA);
            Grower basil = grower(em, BASIL);
            List<Specimen> made = List.of(
                    new SeedPacket("S-poppy", T0, new BigDecimal("1.250"), new Colour(200, 30, 40), ada, 320, Viability.HIGH),
                    new SeedPacket("S-campion", T0.plusMillis(1), new BigDecimal("0.875"), new Colour(220, 120, 180), ada, 150, Viability.FAIR),
                    new SeedPacket("S-sedge", T0.plusSeconds(3600), new BigDecimal("2.000"), null, basil, 80, Viability.LOW),
                    new Cutting("C-willow", T0.minusMillis(999), new BigDecimal("45.125"), new Colour(90, 140, 60), basil, true, L0),
                    new Cutting("C-thyme", T0.plusSeconds(86400), new BigDecimal("3.300"), new Colour(120, 100, 160), null, false, L0.plusNanos(1_000_000)));
            made.get(0).getHabitats().add(em.getReference(Habitat.class, "MEADOW"));
            made.get(0).getHabitats().add(em.getReference(Habitat.class, "DUNE"));
            made.get(1).getHabitats().add(em.find(Habitat.class, "MEADOW"));
            made.get(2).getHabitats().add(em.find(Habitat.class, "BOG"));
            made.get(3).getHabitats().add(em.find(Habitat.class, "BOG"));
            made.get(3).getHabitats().add(em.find(Habitat.class, "WOOD"));
            made.get(4).getHabitats().add(em.find(Habitat.class, "SCREE"));
            List<Object> out = new ArrayList<>();
            for (Specimen sp : made) {
                em.persist(sp);
                c.alias(sp.getId(), sp.getLabel());
                out.add(sp.getVersion());
            }
            return out;
        }));
        s.add(tx("persist two shelves with featured specimens and notes (owning ordered lists)", c -> {
            EntityManager em = c.em();
            Shelf north = new Shelf(10L, "North vault");
            north.getFeatured().add(specimen(em, "S-poppy"));
            north.getFeatured().add(specimen(em, "C-willow"));
            north.getFeatured().add(specimen(em, "S-sedge"));
            north.getNotes().add("keep below 5 degrees");
            north.getNotes().add("check humidity weekly");
            Shelf south = new Shelf(20L, "South vault");
            south.getFeatured().add(specimen(em, "C-thyme"));
            south.getNotes().add("overflow");
            em.persist(north);
            em.persist(south);
            return List.of(north, south);
        }));
        // On REMOTE, Jar is held until commit (QUEUE) and its shelf is a remote row: an element added to the inverse
        // ordered list while the list was never loaded would get no list index on the remote, so the contract refuses
        // it (README, "How it works"); the next step then does what the refusal says, loading the list first.
        s.add(tx("persist jars and place them on shelves (inverse ordered list, never loaded)", c -> persistJars(c.em(), false))
                .refusedOn(CompositeRoutingException.class, REMOTE));
        s.add(tx("persist jars on shelves whose list is loaded first (where the step before was refused)", c -> {
            EntityManager em = c.em();
            return em.find(Jar.class, 100L) != null ? em.find(Shelf.class, 10L).getJars() : persistJars(em, true);
        }));
        s.add(tx("persist a leaflet and a journal with text and binary LOBs (JOINED, IDENTITY)", c -> {
            EntityManager em = c.em();
            Grower ada = grower(em, ADA);
            Leaflet leaflet = new Leaflet("Sowing wildflowers", D0.plusDays(3), ada, 4, true);
            Journal journal = new Journal("Seed Keeper Quarterly", D0.plusDays(90), grower(em, CLOVER), "1234-5678",
                    "Editorial: ".repeat(400) + "end", bytes(3000, 7));
            em.persist(leaflet);
            em.persist(journal);
            return List.of(leaflet, journal);
        }));
        s.add(tx("persist four loans (assigned ids, two many-to-ones)", c -> {
            EntityManager em = c.em();
            em.persist(new Loan(1000L, grower(em, BASIL), specimen(em, "S-poppy"), D0.plusDays(10), new BigDecimal("2.50"), LoanStatus.OPEN));
            em.persist(new Loan(1001L, grower(em, CLOVER), specimen(em, "C-willow"), D0.plusDays(12), new BigDecimal("0.00"), LoanStatus.OPEN));
            em.persist(new Loan(1002L, grower(em, ADA), specimen(em, "S-sedge"), D0.minusDays(5), new BigDecimal("7.25"), LoanStatus.OVERDUE));
            Loan closed = new Loan(1003L, grower(em, BASIL), null, D0.minusDays(30), null, LoanStatus.CLOSED);
            closed.setReturned(true);
            em.persist(closed);
            return em.find(Loan.class, 1003L);
        }));

        // ---------------------------------------------------------------- find, getReference, contains
        s.add(tx("find a grower by id (loads its element collections lazily)", c -> c.em().find(Grower.class, grower(c.em(), ADA).getId())));
        s.add(tx("find through the SINGLE_TABLE root returns the subclass", c -> {
            Specimen sp = specimen(c.em(), "C-willow");
            c.em().clear();
            return c.em().find(Specimen.class, sp.getId());
        }));
        s.add(tx("find with the wrong subclass returns null", c -> {
            Specimen sp = specimen(c.em(), "S-poppy");
            c.em().clear();
            return c.em().find(Cutting.class, sp.getId());
        }));
        s.add(tx("find through the JOINED root returns the subclass with its LOBs", c -> {
            Long id = publicationId(c.em(), "Seed Keeper Quarterly");
            c.em().clear();
            return c.em().find(Publication.class, id);
        }));
        s.add(tx("find a missing id returns null", c -> Collections.singletonList(c.em().find(Habitat.class, "NOWHERE"))));
        s.add(tx("getReference is not initialized until used", c -> {
            Habitat ref = c.em().getReference(Habitat.class, "SCREE");
            String before = c.norm(ref);
            return List.of(before, ref.getName(), c.norm(ref));
        }));
        s.add(tx("getReference of a missing id fails when used", c -> c.em().getReference(Habitat.class, "MOON").getName()));
        s.add(tx("contains, isLoaded and getIdentifier", c -> {
            Grower g = grower(c.em(), CLOVER);
            var util = c.emf().getPersistenceUnitUtil();
            return List.of(c.em().contains(g), util.isLoaded(g, "plots"), util.getIdentifier(g), c.em().getLockMode(g).name());
        }));
        s.add(tx("find with a pessimistic lock", c -> c.em().find(Loan.class, 1001L, LockModeType.PESSIMISTIC_WRITE)));

        // ---------------------------------------------------------------- JPQL
        s.add(tx("select every grower ordered by name", c -> c.em().createQuery("select g from Grower g order by g.name", Grower.class).getResultList()));
        s.add(tx("select specimens by a decimal parameter", c -> c.em().createQuery(
                "select s from Specimen s where s.weightGrams > :w order by s.weightGrams", Specimen.class)
                .setParameter("w", new BigDecimal("1.5")).getResultList()));
        s.add(tx("inner join projection", c -> c.em().createQuery(
                "select s.label, g.name from Specimen s join s.donor g order by s.label", Object[].class).getResultList()));
        s.add(tx("left join projection keeps specimens without donor", c -> c.em().createQuery(
                "select s.label, g.email from Specimen s left join s.donor g order by s.label", Object[].class).getResultList()));
        s.add(tx("fetch join of an element collection", c -> c.em().createQuery(
                "select distinct g from Grower g left join fetch g.plots order by g.name", Grower.class).getResultList()));
        s.add(tx("fetch join of a many-to-many", c -> c.em().createQuery(
                "select distinct s from Specimen s left join fetch s.habitats where s.label like 'S-%' order by s.label", Specimen.class)
                .getResultList()));
        s.add(tx("fetch join of a to-one", c -> c.em().createQuery(
                "select l from Loan l join fetch l.borrower left join fetch l.specimen order by l.id", Loan.class).getResultList()));
        s.add(tx("aggregates over decimals", c -> c.em().createQuery(
                "select count(s), sum(s.weightGrams), min(s.weightGrams), max(s.weightGrams), min(s.collectedAt), max(s.collectedAt)"
                        + " from Specimen s", Object[].class).getSingleResult()));
        s.add(tx("average as a double", c -> c.em().createQuery("select avg(l.fee) from Loan l", Double.class).getSingleResult()));
        s.add(tx("group by with order", c -> c.em().createQuery(
                "select g.name, count(s), sum(s.weightGrams) from Specimen s join s.donor g group by g.name order by g.name",
                Object[].class).getResultList()));
        s.add(tx("group by with having", c -> c.em().createQuery(
                "select h.code, count(s) from Specimen s join s.habitats h group by h.code having count(s) > 1 order by h.code",
                Object[].class).getResultList()));
        s.add(tx("pagination", c -> c.em().createQuery("select s.label from Specimen s order by s.label", String.class)
                .setFirstResult(1).setMaxResults(3).getResultList()));
        s.add(tx("polymorphic query over the JOINED hierarchy", c -> c.em().createQuery(
                "select p from Publication p order by p.title", Publication.class).getResultList()));
        s.add(tx("query of one SINGLE_TABLE subclass", c -> c.em().createQuery(
                "select p from SeedPacket p order by p.seedCount desc", SeedPacket.class).getResultList()));
        s.add(tx("type() restriction", c -> c.em().createQuery(
                "select s.label from Specimen s where type(s) = Cutting order by s.label", String.class).getResultList()));
        s.add(tx("treat() downcast", c -> c.em().createQuery(
                "select s.label, treat(s as SeedPacket).seedCount from Specimen s where type(s) = SeedPacket order by s.label",
                Object[].class).getResultList()));
        s.add(tx("subquery with exists", c -> c.em().createQuery(
                "select g.name from Grower g where exists (select 1 from Specimen s where s.donor = g and s.weightGrams > 1)"
                        + " order by g.name", String.class).getResultList()));
        s.add(tx("subquery against an aggregate", c -> c.em().createQuery(
                "select s.label from Specimen s where s.weightGrams > (select avg(x.weightGrams) from Specimen x) order by s.label",
                String.class).getResultList()));
        s.add(tx("not in subquery", c -> c.em().createQuery(
                "select h.code from Habitat h where h.code not in (select hh.code from Specimen s join s.habitats hh) order by h.code",
                String.class).getResultList()));
        s.add(tx("constructor expression", c -> c.em().createQuery(
                "select new io.dbcomposite.differential.LoanLine(l.id, l.borrower.name, l.fee) from Loan l order by l.id",
                LoanLine.class).getResultList()));
        s.add(tx("named query with an enum parameter", c -> c.em().createNamedQuery("Grower.byLevel", Grower.class)
                .setParameter("level", GrowerLevel.MASTER).getResultList()));
        s.add(tx("named query with a decimal parameter", c -> c.em().createNamedQuery("Specimen.heavierThan", Specimen.class)
                .setParameter("min", new BigDecimal("0.9")).getResultList()));
        s.add(tx("named count query", c -> c.em().createNamedQuery("Grower.count", Long.class).getSingleResult()));
        s.add(tx("query of an element collection of embeddables", c -> c.em().createQuery(
                "select g.name, p.bed, p.areaSqm, p.sunny from Grower g join g.plots p order by g.name, p.bed", Object[].class)
                .getResultList()));
        s.add(tx("key() and value() of a map", c -> c.em().createQuery(
                "select g.name, key(h), value(h) from Grower g join g.hours h order by g.name, key(h)", Object[].class).getResultList()));
        s.add(tx("index() of an ordered many-to-many", c -> c.em().createQuery(
                "select sh.id, index(f), f.label from Shelf sh join sh.featured f order by sh.id, index(f)", Object[].class)
                .getResultList()));
        s.add(tx("index() of an ordered element collection", c -> c.em().createQuery(
                "select sh.id, index(n), n from Shelf sh join sh.notes n order by sh.id, index(n)", Object[].class).getResultList()));
        s.add(tx("the inverse ordered list as loaded", c -> c.em().find(Shelf.class, 10L).getJars()));
        s.add(tx("member of", c -> c.em().createQuery(
                "select h.code from Habitat h where :s member of h.specimens order by h.code", String.class)
                .setParameter("s", specimen(c.em(), "C-willow")).getResultList()));
        s.add(tx("size()", c -> c.em().createQuery(
                "select s.label, size(s.habitats) from Specimen s order by s.label", Object[].class).getResultList()));
        s.add(tx("string functions and case", c -> c.em().createQuery(
                "select upper(g.name), length(g.email), concat(g.name, '/', g.level),"
                        + " case when g.level = io.dbcomposite.differential.model.GrowerLevel.MASTER then 'senior' else 'junior' end"
                        + " from Grower g order by g.name", Object[].class).getResultList()));
        s.add(tx("coalesce and is null", c -> c.em().createQuery(
                "select h.code, coalesce(h.altitudeM, -1) from Habitat h where h.altitudeM is null or h.altitudeM < 200 order by h.code",
                Object[].class).getResultList()));
        s.add(tx("instant parameter", c -> c.em().createQuery(
                "select s.label from Specimen s where s.collectedAt > :t order by s.collectedAt", String.class)
                .setParameter("t", T0).getResultList()));
        s.add(tx("instant equality to the millisecond", c -> c.em().createQuery(
                "select s.label from Specimen s where s.collectedAt = :t", String.class)
                .setParameter("t", T0.plusMillis(1)).getResultList()));
        s.add(tx("local date-time range", c -> c.em().createQuery(
                "select j.id from Jar j where j.sealedAt between :a and :b order by j.id", Long.class)
                .setParameter("a", L0.plusSeconds(1)).setParameter("b", L0.plusSeconds(200)).getResultList()));
        s.add(tx("date comparison and enum list parameter", c -> c.em().createQuery(
                "select l.id from Loan l where l.dueOn < :d and l.status in :st order by l.id", Long.class)
                .setParameter("d", D0.plusDays(11)).setParameter("st", List.of(LoanStatus.OPEN, LoanStatus.OVERDUE)).getResultList()));
        s.add(tx("ordinal enum and converted attribute in a restriction", c -> c.em().createQuery(
                "select p.label from SeedPacket p where p.viability >= :v and p.colour is not null order by p.label", String.class)
                .setParameter("v", Viability.FAIR).getResultList()));
        s.add(tx("converted attribute as a parameter", c -> c.em().createQuery(
                "select s.label from Specimen s where s.colour = :c", String.class)
                .setParameter("c", new Colour(90, 140, 60)).getResultList()));
        s.add(tx("decimal arithmetic in the select", c -> c.em().createQuery(
                "select l.id, l.fee * 2, l.fee + 0.5 from Loan l where l.fee is not null order by l.id", Object[].class).getResultList()));
        s.add(tx("distinct without order", c -> c.em().createQuery(
                "select distinct l.borrower.name from Loan l", String.class).getResultList()).unordered());
        s.add(tx("query without order by", c -> c.em().createQuery("select h from Habitat h", Habitat.class).getResultList()).unordered());
        s.add(tx("getSingleResult with no row", c -> c.em().createQuery(
                "select g from Grower g where g.name = 'Nobody'", Grower.class).getSingleResult()));
        s.add(tx("getSingleResult with two rows", c -> c.em().createQuery(
                "select g from Grower g where g.level <> io.dbcomposite.differential.model.GrowerLevel.MASTER", Grower.class).getSingleResult()));
        s.add(tx("getResultStream", c -> c.em().createQuery("select j.contents from Jar j order by j.id", String.class)
                .getResultStream().toList()));
        s.add(tx("unwrap the Session and query through it", c -> c.em().unwrap(org.hibernate.Session.class)
                .createSelectionQuery("from Grower g order by g.id", Grower.class).list()));
        s.add(tx("select every object of the unit", c -> c.em().createQuery("select o from java.lang.Object o", Object.class)
                .getResultList()).unordered());

        // ---------------------------------------------------------------- Criteria
        s.add(tx("criteria: growers with a level in a set", c -> {
            CriteriaBuilder cb = c.em().getCriteriaBuilder();
            CriteriaQuery<Grower> q = cb.createQuery(Grower.class);
            Root<Grower> g = q.from(Grower.class);
            q.select(g).where(g.get("level").in(GrowerLevel.KEEPER, GrowerLevel.MASTER)).orderBy(cb.asc(g.get("name")));
            return c.em().createQuery(q).getResultList();
        }));
        s.add(tx("criteria: join with a predicate and parameters", c -> {
            CriteriaBuilder cb = c.em().getCriteriaBuilder();
            CriteriaQuery<String> q = cb.createQuery(String.class);
            Root<Specimen> sp = q.from(Specimen.class);
            Join<Specimen, Habitat> h = sp.join("habitats");
            q.select(sp.get("label")).distinct(true)
                    .where(cb.and(cb.greaterThan(h.get("altitudeM"), cb.parameter(Integer.class, "alt")),
                            cb.like(sp.get("label"), "%e%")))
                    .orderBy(cb.asc(sp.get("label")));
            return c.em().createQuery(q).setParameter("alt", 100).getResultList();
        }));
        s.add(tx("criteria: tuple with group by", c -> {
            CriteriaBuilder cb = c.em().getCriteriaBuilder();
            CriteriaQuery<Tuple> q = cb.createTupleQuery();
            Root<Loan> l = q.from(Loan.class);
            q.multiselect(l.get("status").alias("status"), cb.count(l).alias("n"), cb.sum(l.<BigDecimal>get("fee")).alias("fees"))
                    .groupBy(l.get("status")).orderBy(cb.asc(l.get("status")));
            return c.em().createQuery(q).getResultList();
        }));
        s.add(tx("criteria: polymorphic root with treat", c -> {
            CriteriaBuilder cb = c.em().getCriteriaBuilder();
            CriteriaQuery<Publication> q = cb.createQuery(Publication.class);
            Root<Publication> p = q.from(Publication.class);
            q.where(cb.equal(p.type(), Journal.class));
            return c.em().createQuery(q).getResultList();
        }));
        s.add(tx("criteria: subquery", c -> {
            CriteriaBuilder cb = c.em().getCriteriaBuilder();
            CriteriaQuery<String> q = cb.createQuery(String.class);
            Root<Grower> g = q.from(Grower.class);
            var sub = q.subquery(Long.class);
            Root<Loan> l = sub.from(Loan.class);
            sub.select(cb.count(l)).where(cb.equal(l.get("borrower"), g));
            q.select(g.get("name")).where(cb.ge(sub, 1L)).orderBy(cb.desc(g.get("name")));
            return c.em().createQuery(q).getResultList();
        }));

        // ---------------------------------------------------------------- native reads
        s.add(tx("native query of a table", c -> c.nativeQuery(
                "select label, kind, seed_count from specimen order by label").getResultList()));
        s.add(tx("native query of a join table", c -> c.nativeQuery(
                "select count(*) from specimen_habitat").getSingleResult()));
        s.add(tx("native query of an order column", c -> c.nativeQuery(
                "select shelf_id, line, text from shelf_note order by shelf_id, line").getResultList()));

        // ---------------------------------------------------------------- updates
        s.add(tx("dirty checking bumps the version", c -> {
            Grower g = grower(c.em(), BASIL);
            g.setName("Basil Fernsby");
            c.em().flush();
            return g;
        }));
        s.add(own("merge a detached specimen changed outside any session", c -> {
            EntityManager first = c.emf().createEntityManager();
            Specimen detached;
            try {
                detached = specimen(first, "S-campion");
            } finally {
                first.close();
            }
            detached.setWeightGrams(new BigDecimal("0.900"));
            detached.setCollectedAt(T0.plusMillis(2));
            return c.inTransaction(em -> em.merge(detached));
        }));
        s.add(own("merge a detached grower whose element collection and map changed", c -> {
            EntityManager first = c.emf().createEntityManager();
            Grower detached;
            try {
                detached = grower(first, BASIL);
                detached.getPlots().size();
                detached.getHours().size();
            } finally {
                first.close();
            }
            detached.getPlots().add(new Plot("B8", new BigDecimal("2.25"), false));
            detached.getHours().put("spring", 9);
            detached.setLevel(GrowerLevel.KEEPER);
            return c.inTransaction(em -> em.merge(detached));
        }));
        s.add(tx("merge a new instance", c -> {
            Habitat merged = c.em().merge(new Habitat("FEN", "Calcareous fen", 60));
            return List.of(merged, c.em().contains(merged));
        }));
        s.add(tx("element collection of embeddables: add and remove", c -> {
            Grower g = grower(c.em(), ADA);
            g.getPlots().removeIf(p -> p.getBed().equals("A2"));
            g.getPlots().add(new Plot("A3", new BigDecimal("0.50"), true));
            return g;
        }));
        s.add(tx("map: put, change and remove", c -> {
            Grower g = grower(c.em(), ADA);
            g.getHours().put("winter", 2);
            g.getHours().put("summer", 31);
            g.getHours().remove("spring");
            return g;
        }));
        s.add(tx("owning ordered list: move, remove and insert", c -> {
            Shelf north = c.em().find(Shelf.class, 10L);
            Specimen first = north.getFeatured().remove(0);
            north.getFeatured().add(first);
            north.getFeatured().add(1, specimen(c.em(), "S-campion"));
            return north;
        }));
        s.add(tx("ordered element collection: insert at the head, drop the tail", c -> {
            Shelf north = c.em().find(Shelf.class, 10L);
            north.getNotes().add(0, "inventory 2026");
            north.getNotes().remove(north.getNotes().size() - 1);
            return north.getNotes();
        }));
        s.add(tx("inverse ordered list: reorder jars", c -> {
            Shelf north = c.em().find(Shelf.class, 10L);
            Collections.reverse(north.getJars());
            return north.getJars();
        }));
        s.add(tx("inverse ordered list: move a jar to the other shelf", c -> {
            Shelf north = c.em().find(Shelf.class, 10L);
            Shelf south = c.em().find(Shelf.class, 20L);
            Jar moved = north.getJars().remove(0);
            moved.setShelf(south);
            south.getJars().add(0, moved);
            return List.of(north.getJars(), south.getJars());
        }));
        s.add(tx("many-to-many: add and remove", c -> {
            Specimen sp = specimen(c.em(), "S-poppy");
            sp.getHabitats().removeIf(h -> h.getCode().equals("DUNE"));
            sp.getHabitats().add(c.em().find(Habitat.class, "FEN"));
            return sp;
        }));
        s.add(tx("text and binary LOBs change", c -> {
            Journal j = c.em().find(Journal.class, publicationId(c.em(), "Seed Keeper Quarterly"));
            j.setEditorial("A shorter editorial, with accents: \u00e9t\u00e9, \u00fcber");
            j.setCover(bytes(16, 3));
            return j;
        }));
        s.add(tx("converted attribute changes", c -> {
            Specimen sp = specimen(c.em(), "S-sedge");
            sp.setColour(new Colour(10, 20, 30));
            return sp;
        }));
        s.add(tx("decimal with three fraction digits and an instant one millisecond later", c -> {
            Specimen sp = specimen(c.em(), "C-thyme");
            sp.setWeightGrams(new BigDecimal("3.301"));
            sp.setCollectedAt(sp.getCollectedAt().plusMillis(1));
            return sp;
        }));
        s.add(tx("ordinal enum and boolean of subclasses change", c -> {
            ((SeedPacket) specimen(c.em(), "S-sedge")).setViability(Viability.UNKNOWN);
            ((Cutting) specimen(c.em(), "C-thyme")).setRooted(true);
            return c.em().createQuery("select s from Specimen s where s.label in ('S-sedge', 'C-thyme') order by s.label", Specimen.class)
                    .getResultList();
        }));
        s.add(tx("JOINED subclass field changes", c -> {
            Leaflet l = c.em().find(Leaflet.class, publicationId(c.em(), "Sowing wildflowers"));
            l.setPages(6);
            l.setTitle("Sowing wildflowers, 2nd ed.");
            return l;
        }));
        s.add(tx("a query sees the transaction's own change (auto flush)", c -> {
            grower(c.em(), CLOVER).setName("Clover Reedman");
            return c.em().createQuery("select g.version from Grower g where g.name = 'Clover Reedman'", Integer.class).getResultList();
        }));
        s.add(tx("explicit flush then native read of the same row", c -> {
            Loan l = c.em().find(Loan.class, 1002L);
            l.setFee(new BigDecimal("8.10"));
            c.em().flush();
            return c.nativeQuery("select fee from loan where id = 1002").getSingleResult();
        }));
        s.add(tx("refresh discards an in-memory change", c -> {
            Habitat h = c.em().find(Habitat.class, "WOOD");
            h.setName("changed in memory");
            c.em().refresh(h);
            return h;
        }));
        s.add(tx("detach drops a pending change", c -> {
            Habitat h = c.em().find(Habitat.class, "SCREE");
            h.setAltitudeM(1);
            c.em().detach(h);
            return List.of(c.em().contains(h), c.em().find(Habitat.class, "SCREE"));
        }));
        s.add(tx("clear detaches everything", c -> {
            Grower g = grower(c.em(), ADA);
            g.setLevel(GrowerLevel.NOVICE);
            c.em().clear();
            return List.of(c.em().contains(g), grower(c.em(), ADA));
        }));
        s.add(tx("lock OPTIMISTIC_FORCE_INCREMENT bumps the version without a change", c -> {
            Grower g = grower(c.em(), CLOVER);
            c.em().lock(g, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
            return g;
        }));
        s.add(tx("lock PESSIMISTIC_FORCE_INCREMENT", c -> {
            Loan l = c.em().find(Loan.class, 1000L);
            c.em().lock(l, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
            return l;
        }));
        s.add(tx("lock OPTIMISTIC and PESSIMISTIC_READ", c -> {
            Shelf sh = c.em().find(Shelf.class, 20L);
            c.em().lock(sh, LockModeType.OPTIMISTIC);
            Habitat h = c.em().find(Habitat.class, "BOG");
            c.em().lock(h, LockModeType.PESSIMISTIC_READ);
            return List.of(c.em().getLockMode(sh).name(), sh.getVersion());
        }));
        s.add(own("a stale version fails the commit with an optimistic lock failure", c -> {
            EntityManager stale = c.emf().createEntityManager();
            try {
                Loan old = stale.find(Loan.class, 1001L);
                String first = c.inTransaction(em -> {
                    Loan fresh = em.find(Loan.class, 1001L);
                    fresh.setDueOn(fresh.getDueOn().plusDays(7));
                    return fresh.getVersion();
                });
                stale.getTransaction().begin();
                old.setFee(new BigDecimal("99.00"));
                try {
                    stale.getTransaction().commit();
                    return List.of(first, "committed");
                } catch (RuntimeException e) {
                    return List.of(first, "threw " + DifferentialRun.exceptionKey(e));
                }
            } finally {
                if (stale.getTransaction().isActive()) {
                    stale.getTransaction().rollback();
                }
                stale.close();
            }
        }));
        s.add(own("a stale version of an entity with collections fails the commit", c -> {
            EntityManager stale = c.emf().createEntityManager();
            try {
                Grower old = grower(stale, CLOVER);
                String first = c.inTransaction(em -> {
                    Grower fresh = grower(em, CLOVER);
                    fresh.setLevel(GrowerLevel.KEEPER);
                    return fresh.getVersion();
                });
                stale.getTransaction().begin();
                old.setName("Clover the stale");
                try {
                    stale.getTransaction().commit();
                    return List.of(first, "committed");
                } catch (RuntimeException e) {
                    return List.of(first, "threw " + DifferentialRun.exceptionKey(e));
                }
            } finally {
                if (stale.getTransaction().isActive()) {
                    stale.getTransaction().rollback();
                }
                stale.close();
            }
        }));
        s.add(tx("swap two unique values through a temporary value", c -> {
            Grower a = grower(c.em(), ADA);
            Grower b = grower(c.em(), BASIL);
            a.setEmail("swap@seeds.test");
            c.em().flush();
            b.setEmail(ADA);
            c.em().flush();
            a.setEmail(BASIL);
            return List.of(a, b);
        }));

        // ---------------------------------------------------------------- removes
        s.add(tx("remove a loan", c -> {
            c.em().remove(c.em().find(Loan.class, 1003L));
            return c.em().find(Loan.class, 1003L);
        }));
        s.add(tx("persist then remove in one transaction leaves nothing", c -> {
            Habitat h = new Habitat("TEMP", "Temporary", 1);
            c.em().persist(h);
            c.em().flush();
            c.em().remove(h);
            return c.em().createQuery("select count(h) from Habitat h", Long.class).getSingleResult();
        }));
        s.add(tx("update then remove in one transaction", c -> {
            Jar j = c.em().find(Jar.class, 104L);
            j.setContents("emptied");
            c.em().flush();
            j.getShelf().getJars().remove(j);
            c.em().remove(j);
            return c.em().find(Shelf.class, 20L).getJars();
        }));
        s.add(tx("remove and re-create an assigned id in one transaction", c -> {
            Habitat old = c.em().find(Habitat.class, "DUNE");
            c.em().remove(old);
            c.em().flush();
            c.em().persist(new Habitat("DUNE", "Yellow dune", 9));
            return c.em().find(Habitat.class, "DUNE");
        }));
        s.add(tx("remove a specimen with join-table rows after unlinking it", c -> {
            Specimen sp = specimen(c.em(), "S-sedge");
            c.em().find(Shelf.class, 10L).getFeatured().remove(sp);
            for (Loan l : c.em().createQuery("select l from Loan l where l.specimen = :s", Loan.class).setParameter("s", sp).getResultList()) {
                c.em().remove(l);
            }
            c.em().remove(sp);
            return c.em().createQuery("select s.label from Specimen s order by s.label", String.class).getResultList();
        }));
        s.add(tx("remove a publication of the JOINED hierarchy", c -> {
            c.em().remove(c.em().find(Publication.class, publicationId(c.em(), "Sowing wildflowers, 2nd ed.")));
            return c.em().createQuery("select count(p) from Publication p", Long.class).getSingleResult();
        }));
        s.add(tx("remove a detached instance is refused", c -> {
            Habitat h = c.em().find(Habitat.class, "FEN");
            c.em().detach(h);
            c.em().remove(h);
            return "removed";
        }));

        // ---------------------------------------------------------------- failures plain Hibernate reports
        s.add(tx("persist a duplicate assigned id", c -> {
            c.em().persist(new Habitat("BOG", "Second bog", 1));
            c.em().flush();
            return "flushed";
        }));
        s.add(tx("persist with a null in a not-null column", c -> {
            c.em().persist(new Habitat("NULLNAME", null, 1));
            c.em().flush();
            return "flushed";
        }));
        s.add(tx("persist an already managed instance is a no-op", c -> {
            Habitat h = c.em().find(Habitat.class, "WOOD");
            c.em().persist(h);
            return h;
        }));
        s.add(tx("a unique violation rolls the whole transaction back", c -> {
            Grower g = grower(c.em(), CLOVER);
            g.setName("rolled back");
            grower(c.em(), ADA).setEmail(CLOVER);
            c.em().flush();
            return "flushed";
        }));

        // ---------------------------------------------------------------- bulk statements (refused where they would skip a target)
        s.add(tx("bulk JPQL update", c -> c.em().createQuery(
                "update Habitat h set h.altitudeM = h.altitudeM + 10 where h.altitudeM is not null").executeUpdate())
                .refusedOn(CompositeRoutingException.class, BACKGROUND, DUAL_QUEUE, DUAL_FAIL));
        s.add(tx("bulk JPQL delete", c -> c.em().createQuery(
                "delete from Loan l where l.status = io.dbcomposite.differential.model.LoanStatus.OVERDUE").executeUpdate())
                .refusedOn(CompositeRoutingException.class, BACKGROUND, DUAL_QUEUE, DUAL_FAIL));
        s.add(tx("criteria update", c -> {
            CriteriaBuilder cb = c.em().getCriteriaBuilder();
            CriteriaUpdate<Jar> u = cb.createCriteriaUpdate(Jar.class);
            Root<Jar> j = u.from(Jar.class);
            u.set(j.<JarSize>get("size"), JarSize.LARGE).where(cb.equal(j.get("size"), JarSize.SMALL));
            return c.em().createQuery(u).executeUpdate();
        }).refusedOn(CompositeRoutingException.class, BACKGROUND, DUAL_QUEUE, DUAL_FAIL));
        s.add(tx("criteria delete", c -> {
            CriteriaBuilder cb = c.em().getCriteriaBuilder();
            CriteriaDelete<Habitat> d = cb.createCriteriaDelete(Habitat.class);
            Root<Habitat> h = d.from(Habitat.class);
            d.where(cb.equal(h.get("code"), "FEN"), cb.isEmpty(h.get("specimens")));
            return c.em().createQuery(d).executeUpdate();
        }).refusedOn(CompositeRoutingException.class, BACKGROUND, DUAL_QUEUE, DUAL_FAIL));
        s.add(tx("HQL insert from a select", c -> c.em().createQuery(
                "insert into Habitat (code, name, altitudeM) select concat(h.code, '2'), h.name, h.altitudeM from Habitat h where h.code = 'BOG'")
                .executeUpdate())
                .refusedOn(CompositeRoutingException.class, BACKGROUND, DUAL_QUEUE, DUAL_FAIL));

        s.add(tx("bulk update of a SINGLE_TABLE subclass", c -> c.em().createQuery(
                "update SeedPacket p set p.seedCount = p.seedCount + 1 where p.seedCount is not null").executeUpdate())
                .refusedOn(CompositeRoutingException.class, BACKGROUND, DUAL_QUEUE, DUAL_FAIL));
        s.add(tx("bulk update of a JOINED root", c -> c.em().createQuery(
                "update Publication p set p.title = concat(p.title, ' (archived)') where p.publishedOn < :d")
                .setParameter("d", D0.plusDays(100)).executeUpdate())
                .refusedOn(CompositeRoutingException.class, BACKGROUND, DUAL_QUEUE, DUAL_FAIL));

        // ---------------------------------------------------------------- a second round on the changed data
        s.add(tx("persist a specimen referencing rows of earlier transactions", c -> {
            EntityManager em = c.em();
            SeedPacket sp = new SeedPacket("S-yarrow", T0.plusMillis(777), new BigDecimal("0.010"), new Colour(250, 250, 240),
                    grower(em, CLOVER), 900, Viability.HIGH);
            sp.getHabitats().add(em.find(Habitat.class, "DUNE"));
            sp.getHabitats().add(em.find(Habitat.class, "MEADOW"));
            em.persist(sp);
            c.alias(sp.getId(), sp.getLabel());
            em.find(Shelf.class, 20L).getFeatured().add(0, sp);
            em.persist(new Loan(1004L, grower(em, ADA), sp, D0.plusDays(60), new BigDecimal("1.05"), LoanStatus.OPEN));
            return sp;
        }));
        s.add(tx("persist a grower and a journal in one transaction (IDENTITY after deletes)", c -> {
            Grower dill = new Grower("Dill Marsh", "dill@seeds.test", GrowerLevel.NOVICE, D0.plusDays(200));
            dill.getPlots().add(new Plot("D1", new BigDecimal("1.00"), false));
            c.em().persist(dill);
            Journal j = new Journal("Marsh Notes", D0.plusDays(201), dill, null, null, null);
            c.em().persist(j);
            return List.of(dill.getId(), j.getId());
        }));
        s.add(tx("clear an element collection and a map", c -> {
            Grower g = grower(c.em(), BASIL);
            g.getPlots().clear();
            g.getHours().clear();
            return g;
        }));
        s.add(tx("empty an owning ordered list and an ordered element collection", c -> {
            Shelf south = c.em().find(Shelf.class, 20L);
            south.getFeatured().clear();
            south.getNotes().clear();
            return south;
        }));
        s.add(tx("every entity read back", c -> {
            List<Object> all = new ArrayList<>();
            all.addAll(c.em().createQuery("select g from Grower g order by g.email", Grower.class).getResultList());
            all.addAll(c.em().createQuery("select h from Habitat h order by h.code", Habitat.class).getResultList());
            all.addAll(c.em().createQuery("select s from Specimen s order by s.label", Specimen.class).getResultList());
            all.addAll(c.em().createQuery("select p from Publication p order by p.title", Publication.class).getResultList());
            all.addAll(c.em().createQuery("select sh from Shelf sh order by sh.id", Shelf.class).getResultList());
            all.addAll(c.em().createQuery("select j from Jar j order by j.id", Jar.class).getResultList());
            all.addAll(c.em().createQuery("select l from Loan l order by l.id", Loan.class).getResultList());
            return all;
        }));
        return s;
    }

    static byte[] bytes(int n, int seed) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (i * seed + (i >> 3));
        }
        return out;
    }

    /** Persists five jars on the two shelves through the inverse ordered list; {@code loadFirst} loads each list first. */
    private static List<Jar> persistJars(EntityManager em, boolean loadFirst) {
        Shelf north = em.find(Shelf.class, 10L);
        Shelf south = em.find(Shelf.class, 20L);
        if (loadFirst) {
            north.getJars().size();
            south.getJars().size();
        }
        for (int i = 0; i < 5; i++) {
            Jar jar = new Jar(100L + i, "jar " + i, L0.plusSeconds(i * 61L).plusNanos(i * 1_000_000L), JarSize.values()[i % 3]);
            Shelf target = i < 3 ? north : south;
            jar.setShelf(target);
            target.getJars().add(jar);
            em.persist(jar);
        }
        return north.getJars();
    }
}
