package io.dbcomposite.internal.apply;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.generator.BeforeExecutionGenerator;
import org.hibernate.generator.EventType;
import org.hibernate.generator.Generator;
import org.hibernate.persister.entity.EntityPersister;

import java.util.EnumSet;

/**
 * Lets the library's own writes of a row keep the values an in-memory generator ({@code @CreationTimestamp},
 * {@code @UpdateTimestamp}, a custom {@code BeforeExecutionGenerator}) would set: a replayed or mirrored row is written
 * with the values its source row holds, in the same statement, instead of the time of the replay followed by a second
 * statement that writes the source's values again.
 *
 * <p>{@link #install} wraps each such generator of a side's entities: the wrapper asks the application's generator, as
 * before, except for a write through the session {@link #keeping} names, where it hands back the value the state already
 * holds. Only {@link RowApplier}'s writes run inside it; the application's sessions on either side generate as plain
 * Hibernate does, a session an application's callback writes through during the library's write too. Hibernate keeps
 * an entity's generators in an array the persister hands out ({@code EntityPersister#getGenerators()}); where that is
 * a copy, nothing is wrapped and the row's generated values are written again after it, as before ({@link #keeps}).
 */
final class GivenGeneratedValues {

    /** The session the calling thread writes a row through in {@link #keeping}; null outside. */
    private static final ThreadLocal<SharedSessionContractImplementor> WRITING = new ThreadLocal<>();

    private GivenGeneratedValues() {
    }

    /** Wraps the in-memory generators (the version's excepted) of every entity of {@code factory}. */
    static void install(SessionFactoryImplementor factory) {
        factory.getMappingMetamodel().forEachEntityDescriptor(GivenGeneratedValues::install);
    }

    private static void install(EntityPersister persister) {
        Generator[] generators = persister.getGenerators();
        int version = persister.isVersioned() ? persister.getVersionPropertyIndex() : -1;
        for (int i = 0; i < generators.length; i++) {
            Generator g = generators[i];
            if (i != version && g instanceof BeforeExecutionGenerator before && !(g instanceof Kept)
                    && !g.generatedOnExecution() && (g.generatesOnInsert() || g.generatesOnUpdate())) {
                generators[i] = new Kept(before);
            }
        }
    }

    /** @return whether {@code generator} hands back the state's value to the library's writes */
    static boolean keeps(Generator generator) {
        return generator instanceof Kept;
    }

    /**
     * Runs {@code write} with the wrapped generators handing back the values the written state holds, for writes through
     * {@code session} only: another session the application's callbacks or listeners write through meanwhile, on this
     * thread, gets its generated values as in plain Hibernate.
     */
    static void keeping(SharedSessionContractImplementor session, Runnable write) {
        SharedSessionContractImplementor outer = WRITING.get();
        WRITING.set(session);
        try {
            write.run();
        } finally {
            if (outer == null) {
                WRITING.remove();
            } else {
                WRITING.set(outer);
            }
        }
    }

    /** An application's in-memory generator, which keeps the given value inside {@link #keeping}. */
    static final class Kept implements BeforeExecutionGenerator {
        private final BeforeExecutionGenerator generator;

        Kept(BeforeExecutionGenerator generator) {
            this.generator = generator;
        }

        @Override
        public Object generate(SharedSessionContractImplementor session, Object owner, Object currentValue, EventType eventType) {
            return session != null && session == WRITING.get() ? currentValue
                    : generator.generate(session, owner, currentValue, eventType);
        }

        @Override
        public EnumSet<EventType> getEventTypes() {
            return generator.getEventTypes();
        }

        @Override
        public boolean generatedOnExecution() {
            return generator.generatedOnExecution();
        }

        @Override
        public boolean generatedOnExecution(Object entity, SharedSessionContractImplementor session) {
            return generator.generatedOnExecution(entity, session);
        }

        @Override
        public boolean generatedBeforeExecution(Object entity, SharedSessionContractImplementor session) {
            return generator.generatedBeforeExecution(entity, session);
        }

        @Override
        public boolean allowAssignedIdentifiers() {
            return generator.allowAssignedIdentifiers();
        }

        @Override
        public boolean allowMutation() {
            return generator.allowMutation();
        }

        @Override
        public boolean generatesSometimes() {
            return generator.generatesSometimes();
        }

        @Override
        public boolean generatesOnInsert() {
            return generator.generatesOnInsert();
        }

        @Override
        public boolean generatesOnUpdate() {
            return generator.generatesOnUpdate();
        }

        @Override
        public boolean generatesOnForceIncrement() {
            return generator.generatesOnForceIncrement();
        }

        @Override
        public Class<?> getGeneratedType() {
            return generator.getGeneratedType();
        }

        @Override
        public String toString() {
            return generator.toString();
        }
    }
}
