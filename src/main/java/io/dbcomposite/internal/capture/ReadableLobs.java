package io.dbcomposite.internal.capture;

import org.hibernate.HibernateException;
import org.hibernate.engine.jdbc.proxy.NClobProxy;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.event.spi.PreUpsertEvent;
import org.hibernate.event.spi.PreUpsertEventListener;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.Type;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;

/**
 * Reads a written {@code Blob}, {@code Clob} or {@code NClob} into memory before the row is written, and puts a copy
 * that can be read any number of times in its place (in the row's state and in the entity): a {@code SerialBlob} or
 * {@code SerialClob}, which gives a new stream on every read, so a reader that closes its stream (a JDBC driver binding
 * it) leaves the value whole for the next. An {@code NClob} becomes Hibernate's proxy of its text.
 *
 * <p>A write of the composite unit reads a LOB more than once: the local insert, the sync log's payload and a DUAL
 * write each need the whole value. A LOB made from a stream ({@code LobHelper.createBlob(InputStream, long)},
 * {@code createClob(Reader, long)}) gives its value once; the second reader found the stream closed and the
 * transaction failed. Only values the write changes are read: an unchanged LOB of an update (the same instance as
 * the loaded state's) is left alone, so a remote large object read in an earlier transaction is never touched. A LOB
 * inside an embeddable is not copied.
 */
public final class ReadableLobs implements PreInsertEventListener, PreUpdateEventListener, PreUpsertEventListener {

    private static final int[] NONE = new int[0];

    /** The indexes of each entity's LOB properties, by entity name. */
    private final Map<String, int[]> lobProperties = new ConcurrentHashMap<>();

    @Override
    public boolean onPreInsert(PreInsertEvent event) {
        copy(event.getPersister(), event.getEntity(), event.getId(), event.getState(), null);
        return false;
    }

    @Override
    public boolean onPreUpdate(PreUpdateEvent event) {
        copy(event.getPersister(), event.getEntity(), event.getId(), event.getState(), event.getOldState());
        return false;
    }

    @Override
    public boolean onPreUpsert(PreUpsertEvent event) {
        copy(event.getPersister(), event.getEntity(), event.getId(), event.getState(), null);
        return false;
    }

    private void copy(EntityPersister persister, Object entity, Object id, Object[] state, Object[] oldState) {
        for (int i : lobProperties.computeIfAbsent(persister.getEntityName(), name -> lobIndexes(persister))) {
            Object value = state[i];
            if (value == null || oldState != null && oldState[i] == value) {
                continue;
            }
            Object copy = readable(value, persister, id, i);
            state[i] = copy;
            persister.setValue(entity, i, copy);
        }
    }

    /** @return whether the entity has a property this listener copies (a {@code Blob}, {@code Clob} or {@code NClob}) */
    public static boolean copiesPropertiesOf(EntityPersister persister) {
        return lobIndexes(persister).length > 0;
    }

    private static int[] lobIndexes(EntityPersister persister) {
        Type[] types = persister.getPropertyTypes();
        int[] found = new int[types.length];
        int n = 0;
        for (int i = 0; i < types.length; i++) {
            Class<?> javaType = types[i].getReturnedClass();
            if (Blob.class.isAssignableFrom(javaType) || Clob.class.isAssignableFrom(javaType)) {
                found[n++] = i;
            }
        }
        return n == 0 ? NONE : java.util.Arrays.copyOf(found, n);
    }

    private static Object readable(Object value, EntityPersister persister, Object id, int property) {
        try {
            if (value instanceof SerialBlob || value instanceof SerialClob) {
                return value; // a fresh stream on every read already
            }
            if (value instanceof Blob blob) {
                try (InputStream in = blob.getBinaryStream()) {
                    return new SerialBlob(in.readAllBytes());
                }
            }
            if (value instanceof Clob clob) {
                String text;
                try (Reader in = clob.getCharacterStream()) {
                    StringBuilder read = new StringBuilder();
                    char[] buffer = new char[8192];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        read.append(buffer, 0, n);
                    }
                    text = read.toString();
                }
                return value instanceof NClob ? NClobProxy.generateProxy(text) : new SerialClob(text.toCharArray());
            }
            return value;
        } catch (SQLException | IOException | RuntimeException e) {
            throw new HibernateException("Could not read the LOB " + persister.getEntityName() + "."
                    + persister.getPropertyNames()[property] + " of id " + id + " before writing it: " + e.getMessage(), e);
        }
    }
}
