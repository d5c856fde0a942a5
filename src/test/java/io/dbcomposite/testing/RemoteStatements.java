package io.dbcomposite.testing;

import io.dbcomposite.CompositeEntityManagerFactory;
import org.hibernate.stat.Statistics;

/** Counts the statements a unit's remote side prepares while some work runs (Hibernate's statistics, on for the work). */
public final class RemoteStatements {

    private RemoteStatements() {
    }

    /** @return how many JDBC statements the remote session factory prepared while {@code work} ran */
    public static long preparedDuring(CompositeEntityManagerFactory unit, Runnable work) {
        Statistics stats = unit.remoteFactory().getStatistics();
        stats.setStatisticsEnabled(true);
        stats.clear();
        try {
            work.run();
            return stats.getPrepareStatementCount();
        } finally {
            stats.setStatisticsEnabled(false);
        }
    }
}
