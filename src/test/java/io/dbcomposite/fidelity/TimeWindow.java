package io.dbcomposite.fidelity;

import jakarta.persistence.Embeddable;

import java.time.Instant;
import java.time.LocalDateTime;

/** Time values inside an embeddable, for {@link TimeFidelityTest}. */
@Embeddable
public class TimeWindow {
    private Instant opensAt;
    private LocalDateTime closesAt;

    protected TimeWindow() {
    }

    public TimeWindow(Instant opensAt, LocalDateTime closesAt) {
        this.opensAt = opensAt;
        this.closesAt = closesAt;
    }

    public Instant getOpensAt() {
        return opensAt;
    }

    public LocalDateTime getClosesAt() {
        return closesAt;
    }
}
