package io.dbcomposite.internal.apply;

/** The version before or after a given {@code @Version} value, for numeric versions. */
public final class VersionArithmetic {

    private VersionArithmetic() {
    }

    /**
     * @return true for a version Hibernate counts up by one (a number), false for one it takes from the clock (a
     *     timestamp), whose value before or after cannot be worked out
     */
    public static boolean counts(Object version) {
        return version instanceof Long || version instanceof Integer || version instanceof Short;
    }

    /** @return {@code version - 1} for numeric versions; the version itself for others (timestamps) */
    public static Object previous(Object version) {
        if (version instanceof Long l) {
            return l - 1;
        }
        if (version instanceof Integer i) {
            return i - 1;
        }
        if (version instanceof Short s) {
            return (short) (s - 1);
        }
        return version;
    }

    /** @return {@code version + 1} for numeric versions; the version itself for others */
    public static Object next(Object version) {
        if (version instanceof Long l) {
            return l + 1;
        }
        if (version instanceof Integer i) {
            return i + 1;
        }
        if (version instanceof Short s) {
            return (short) (s + 1);
        }
        return version;
    }
}
