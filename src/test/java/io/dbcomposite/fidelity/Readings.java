package io.dbcomposite.fidelity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** Basic arrays of each primitive type Hibernate maps as an SQL array, for {@link PrimitiveArrayReplayTest}. */
@Entity(name = "Readings")
public class Readings {
    @Id
    public Long id;
    public int[] counts;
    public long[] totals;
    public short[] levels;
    public double[] weights;
    public float[] ratios;
    public boolean[] flags;
}
