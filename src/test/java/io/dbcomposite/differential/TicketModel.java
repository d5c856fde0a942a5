package io.dbcomposite.differential;

import io.dbcomposite.differential.model.AutoTicket;
import io.dbcomposite.differential.model.SequenceTicket;
import io.dbcomposite.differential.model.TableTicket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dbcomposite.differential.Step.tx;

/**
 * The ids that are allocated from a sequence or a table (SEQUENCE, TABLE, AUTO), kept apart from {@link SeedbankModel}
 * so the rest of the suite does not wait on them: on SQLite the allocation runs in a transaction of its own beside
 * the caller's, which the composite's SQLite set-up (write lock taken at BEGIN) makes wait for the busy timeout.
 */
final class TicketModel {

    private TicketModel() {
    }

    static Model model() {
        return new Model("tickets", List.of(SequenceTicket.class, TableTicket.class, AutoTicket.class), steps(), Map.of(),
                // SQLite emulates the two sequences with tables; the TABLE generator has its own table on both sides
                Set.of("ticket_numbers", "auto_ticket_seq", "ticket_counter", "hibernate_sequences"),
                null);
    }

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        s.add(tx("persist one ticket of each id strategy", c -> {
            SequenceTicket a = new SequenceTicket("ann");
            TableTicket b = new TableTicket("ann");
            AutoTicket d = new AutoTicket("ann");
            c.em().persist(a);
            c.em().persist(b);
            c.em().persist(d);
            return List.of(a.getId(), b.getId(), d.getId());
        }));
        s.add(tx("persist more tickets than one allocation block holds", c -> {
            List<Object> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                SequenceTicket a = new SequenceTicket("seq" + i);
                TableTicket b = new TableTicket("tab" + i);
                AutoTicket d = new AutoTicket("auto" + i);
                c.em().persist(a);
                c.em().persist(b);
                c.em().persist(d);
                ids.add(List.of(a.getId(), b.getId(), d.getId()));
            }
            return ids;
        }));
        s.add(tx("find each kind", c -> {
            Long id = c.em().createQuery("select min(t.id) from SequenceTicket t", Long.class).getSingleResult();
            return List.of(c.em().find(SequenceTicket.class, id), c.em().find(TableTicket.class, id), c.em().find(AutoTicket.class, id));
        }));
        s.add(tx("query with pagination", c -> c.em().createQuery("select t from TableTicket t order by t.id desc", TableTicket.class)
                .setFirstResult(2).setMaxResults(3).getResultList()));
        s.add(tx("update and merge a new ticket", c -> {
            c.em().createQuery("select t from AutoTicket t where t.holder = 'ann'", AutoTicket.class).getSingleResult().setHolder("anne");
            return c.em().merge(new SequenceTicket("merged")).getId();
        }));
        s.add(tx("remove a ticket of each kind", c -> {
            for (Class<?> type : List.of(SequenceTicket.class, TableTicket.class, AutoTicket.class)) {
                Object first = c.em().createQuery("select t from " + type.getSimpleName() + " t order by t.id", type)
                        .setMaxResults(1).getSingleResult();
                c.em().remove(first);
            }
            return c.em().createQuery("select count(t) from AutoTicket t", Long.class).getSingleResult();
        }));
        s.add(tx("persist after the removals", c -> {
            SequenceTicket a = new SequenceTicket("late");
            TableTicket b = new TableTicket("late");
            AutoTicket d = new AutoTicket("late");
            c.em().persist(a);
            c.em().persist(b);
            c.em().persist(d);
            return List.of(a.getId(), b.getId(), d.getId());
        }));
        return s;
    }
}
