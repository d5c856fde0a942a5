package io.dbcomposite.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Watches the heap over one phase of a harness: the peak usage of the heap pools (the JVM's own peak counters,
 * reset at {@link #start()}; their sum is an upper bound of the heap in use at any one time), a sample every
 * 100 ms of the heap in use and of the heap left after the last collection (the live data), and the collections.
 */
final class HeapMonitor implements AutoCloseable {

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long maxUsed;
    private volatile long maxAfterGc;
    private long gcCountAtStart;
    private long gcMillisAtStart;

    private HeapMonitor() {
        sampler = new Thread(this::sample, "heap-monitor");
        sampler.setDaemon(true);
    }

    /** Collects garbage, resets the peak counters and starts sampling. */
    static HeapMonitor start() {
        System.gc();
        HeapMonitor m = new HeapMonitor();
        m.heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        m.gcCountAtStart = gcCount();
        m.gcMillisAtStart = gcMillis();
        m.sampler.start();
        return m;
    }

    private void sample() {
        while (running) {
            long used = 0;
            long afterGc = 0;
            for (MemoryPoolMXBean p : heapPools) {
                used += p.getUsage().getUsed();
                MemoryUsage c = p.getCollectionUsage();
                if (c != null) {
                    afterGc += c.getUsed();
                }
            }
            maxUsed = Math.max(maxUsed, used);
            maxAfterGc = Math.max(maxAfterGc, afterGc);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return the sum of the heap pools' peak usage since {@link #start()} */
    long peakPoolSum() {
        long sum = 0;
        for (MemoryPoolMXBean p : heapPools) {
            sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }

    long maxSampledUsed() {
        return maxUsed;
    }

    long maxSampledAfterGc() {
        return maxAfterGc;
    }

    long collections() {
        return gcCount() - gcCountAtStart;
    }

    long collectionMillis() {
        return gcMillis() - gcMillisAtStart;
    }

    static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
