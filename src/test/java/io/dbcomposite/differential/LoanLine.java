package io.dbcomposite.differential;

import java.math.BigDecimal;

/** A constructor-expression result. */
public record LoanLine(Long id, String borrower, BigDecimal fee) {
}
