package io.dbcomposite.probes;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.type.NumericBooleanConverter;
import org.hibernate.type.TrueFalseConverter;
import org.hibernate.type.YesNoConverter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.net.URL;
import java.time.Duration;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Basic types whose text form is not their column's: durations, locales, currencies, zones, offsets, years, URLs, time
 * zones, large integers, bytes and shorts, floats, and Hibernate's own boolean converters (Y/N, T/F, 1/0), null
 * included: what Hibernate reads on the remote is what it reads locally, after the replay and written to both sides.
 */
class ExoticBasicsProbeTest {

    @Entity(name = "PbExotic")
    @Table(name = "pb_exotic")
    public static class Exotic {
        @Id
        public Long id;
        @Version
        public Short version;
        public Duration duration;
        public Locale locale;
        public Currency currency;
        public ZoneId zone;
        @jakarta.persistence.Column(name = "zone_offset")
        public ZoneOffset offset;
        @jakarta.persistence.Column(name = "the_year")
        public Year year;
        public URL url;
        public TimeZone timeZone;
        public BigInteger big;
        public Byte tiny;
        public short small;
        public Float ratio;
        @Convert(converter = YesNoConverter.class)
        public Boolean yesNo;
        @Convert(converter = TrueFalseConverter.class)
        public Boolean trueFalse;
        @Convert(converter = NumericBooleanConverter.class)
        @jakarta.persistence.Column(name = "one_zero")
        public Boolean numeric;
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void exotic_basics_replay(DatabasePair pair) throws Exception {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbExotic", null, Map.of(), Exotic.class)) {
            work(unit);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void exotic_basics_written_to_both_sides_at_once(DatabasePair pair) throws Exception {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbExoticDual", dual, Map.of(), Exotic.class)) {
            work(unit);
        }
    }

    private static void work(StandaloneUnit unit) throws Exception {
        URL url = new URL("https://example.org/a?b=c#d");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Exotic e = new Exotic();
            e.id = 1L;
            e.duration = Duration.ofSeconds(3723, 123_456_789);
            e.locale = Locale.forLanguageTag("de-CH");
            e.currency = Currency.getInstance("CHF");
            e.zone = ZoneId.of("Europe/Zurich");
            e.offset = ZoneOffset.ofHoursMinutes(-3, -30);
            e.year = Year.of(1999);
            e.url = url;
            e.timeZone = TimeZone.getTimeZone("Asia/Kolkata");
            e.big = new BigInteger("123456789012345678901234567890");
            e.tiny = (byte) -7;
            e.small = (short) 32000;
            e.ratio = 0.1f;
            e.yesNo = true;
            e.trueFalse = false;
            e.numeric = true;
            em.persist(e);
            Exotic n = new Exotic();
            n.id = 2L;
            em.persist(n);
        });
        sync(unit);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Exotic e = em.find(Exotic.class, 1L);
            e.duration = Duration.ZERO;
            e.locale = Locale.ROOT;
            e.yesNo = null;
            e.trueFalse = true;
            e.numeric = false;
            e.ratio = -3.4e38f;
            e.offset = ZoneOffset.UTC;
            Exotic n = em.find(Exotic.class, 2L);
            n.yesNo = false;
            n.locale = Locale.JAPAN;
        });
        sync(unit);
    }

    private static void sync(StandaloneUnit unit) {
        ProbeRows.syncAll(unit);
        // compared as Hibernate reads them: the local side stores some of them its own way (a BigInteger as text)
        assertThat(read(unit.emf.remoteFactory())).hasSize(2).isEqualTo(read(unit.emf.localFactory()));
    }

    private static Map<Long, String> read(SessionFactory side) {
        Map<Long, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            for (Exotic e : s.createSelectionQuery("from PbExotic", Exotic.class).list()) {
                out.put(e.id, e.version + "|" + e.duration + "|" + e.locale + "|" + e.currency + "|" + e.zone + "|" + e.offset
                        + "|" + e.year + "|" + e.url + "|" + (e.timeZone == null ? null : e.timeZone.getID()) + "|" + e.big
                        + "|" + e.tiny + "|" + e.small + "|" + e.ratio + "|" + e.yesNo + "|" + e.trueFalse + "|" + e.numeric);
            }
        }
        return out;
    }
}
