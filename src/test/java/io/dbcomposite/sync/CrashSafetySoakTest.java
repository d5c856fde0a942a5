package io.dbcomposite.sync;

import org.junit.jupiter.api.Tag;

/** The crash trials, many more of them: run with {@code mvn -B verify -Psoak}. */
@Tag("soak")
class CrashSafetySoakTest extends CrashSafetyTest {

    @Override
    protected int trials() {
        return 12;
    }
}
