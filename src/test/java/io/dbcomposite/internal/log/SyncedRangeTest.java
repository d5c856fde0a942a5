package io.dbcomposite.internal.log;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch is marked SYNCED by one id range only when its ids are exactly that range. */
class SyncedRangeTest {

    @Test
    void only_consecutive_ascending_ids_make_a_range() {
        assertThat(SyncLogRepository.isRun(List.of(7L, 8L, 9L, 10L))).isTrue();
        assertThat(SyncLogRepository.isRun(List.of(7L, 8L, 10L))).as("a held change in between").isFalse();
        assertThat(SyncLogRepository.isRun(List.of(8L, 7L))).as("out of order").isFalse();
        assertThat(SyncLogRepository.isRun(List.of(7L, 7L))).as("twice").isFalse();
        assertThat(SyncLogRepository.isRun(List.of(7L))).as("one id").isFalse();
        assertThat(SyncLogRepository.isRun(List.of())).isFalse();
    }
}
