package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Basic;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.MappedSuperclass;
import org.hibernate.annotations.Nationalized;

import java.io.Serializable;

import java.sql.Blob;
import java.sql.Clob;
import java.util.Arrays;

/**
 * Entities with one attribute of each LOB kind Hibernate maps ({@code @Lob byte[]}, {@code @Lob String},
 * {@code @Lob char[]}, {@code Blob}, {@code Clob}, a lazily fetched {@code @Lob byte[]}, a
 * {@code @Nationalized @Lob String} and a {@code @Lob} {@code Serializable}), written locally with a
 * background sync, DUAL with FAIL and DUAL with QUEUE, for {@link LobFidelityTest}.
 */
public final class LobHolders {

    private LobHolders() {
    }

    @MappedSuperclass
    public abstract static class LobHolder {
        @Id
        private Long id;
        @Lob
        private byte[] bytes;
        @Lob
        private String text;
        @Lob
        private char[] chars;
        private Blob blob;
        private Clob clob;
        @Lob
        @Basic(fetch = FetchType.LAZY)
        private byte[] lazyBytes;
        @Lob
        @Nationalized
        private String ntext;
        @Lob
        private Note note;

        protected LobHolder() {
        }

        public Long getId() {
            return id;
        }

        public void setId(Long id) {
            this.id = id;
        }

        public byte[] getBytes() {
            return bytes;
        }

        public void setBytes(byte[] bytes) {
            this.bytes = bytes;
        }

        public String getText() {
            return text;
        }

        public void setText(String text) {
            this.text = text;
        }

        public char[] getChars() {
            return chars;
        }

        public void setChars(char[] chars) {
            this.chars = chars;
        }

        public Blob getBlob() {
            return blob;
        }

        public void setBlob(Blob blob) {
            this.blob = blob;
        }

        public Clob getClob() {
            return clob;
        }

        public void setClob(Clob clob) {
            this.clob = clob;
        }

        public byte[] getLazyBytes() {
            return lazyBytes;
        }

        public void setLazyBytes(byte[] lazyBytes) {
            this.lazyBytes = lazyBytes;
        }

        public String getNtext() {
            return ntext;
        }

        public void setNtext(String ntext) {
            this.ntext = ntext;
        }

        public Note getNote() {
            return note;
        }

        public void setNote(Note note) {
            this.note = note;
        }
    }

    /** A {@code @Lob} of a {@code Serializable} type: stored as its Java serialization. */
    public record Note(String text, byte[] bytes) implements Serializable {
        @Override
        public boolean equals(Object o) {
            return o instanceof Note n && java.util.Objects.equals(text, n.text) && Arrays.equals(bytes, n.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(text, Arrays.hashCode(bytes));
        }
    }

    @Entity(name = "LobLocal")
    public static class LobLocal extends LobHolder {
    }

    @Entity(name = "LobDualFail")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class LobDualFail extends LobHolder {
    }

    @Entity(name = "LobDualQueue")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
    public static class LobDualQueue extends LobHolder {
    }
}
