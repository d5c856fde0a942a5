package io.dbcomposite.differential.model;

import java.util.Objects;

/** An application value type with no JDBC mapping of its own: stored through {@link ColourConverter}. */
public final class Colour {
    private final int red;
    private final int green;
    private final int blue;

    public Colour(int red, int green, int blue) {
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    public static Colour parse(String hex) {
        int v = Integer.parseInt(hex.substring(1), 16);
        return new Colour(v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff);
    }

    public String hex() {
        return String.format("#%02x%02x%02x", red, green, blue);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Colour c && c.red == red && c.green == green && c.blue == blue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(red, green, blue);
    }

    @Override
    public String toString() {
        return hex();
    }
}
