package io.dbcomposite.internal.sync;

import java.util.concurrent.TimeUnit;

/**
 * A reentrant lock like {@link java.util.concurrent.locks.ReentrantLock} for the applier, with one thing more: another
 * thread can give back every hold of a given owner ({@link #unlockAllOf(Thread)}). A JTA transaction that took changes
 * along holds the applier lock on the application's thread; when the transaction manager ends it on another thread (a
 * timeout's reaper), that thread gives the lock back, or it would stay held for good.
 */
final class OwnedLock {

    private Thread owner;
    private int holds;
    private int waiting;

    synchronized void lockInterruptibly() throws InterruptedException {
        Thread me = Thread.currentThread();
        waiting++;
        try {
            while (owner != null && owner != me) {
                wait();
            }
        } finally {
            waiting--;
        }
        take(me);
    }

    synchronized void lock() {
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        waiting++;
        try {
            while (owner != null && owner != me) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            waiting--;
        }
        take(me);
        if (interrupted) {
            me.interrupt();
        }
    }

    synchronized boolean tryLock() {
        Thread me = Thread.currentThread();
        if (owner != null && owner != me) {
            return false;
        }
        take(me);
        return true;
    }

    synchronized boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        Thread me = Thread.currentThread();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        waiting++;
        try {
            while (owner != null && owner != me) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } finally {
            waiting--;
        }
        take(me);
        return true;
    }

    /** One more hold, if the calling thread holds the lock now (atomically: no release in between). */
    synchronized boolean lockIfHeldByCurrentThread() {
        if (owner != Thread.currentThread()) {
            return false;
        }
        holds++;
        return true;
    }

    private void take(Thread me) {
        owner = me;
        holds++;
    }

    synchronized void unlock() {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException("the applier lock is not held by this thread");
        }
        if (--holds == 0) {
            owner = null;
            notifyAll();
        }
    }

    /** Gives back every hold of {@code of}, from any thread. @return true if it held the lock */
    synchronized boolean unlockAllOf(Thread of) {
        if (of == null || owner != of) {
            return false;
        }
        owner = null;
        holds = 0;
        notifyAll();
        return true;
    }

    synchronized boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    synchronized boolean isHeldBy(Thread thread) {
        return thread != null && owner == thread;
    }

    synchronized int getHoldCount() {
        return owner == Thread.currentThread() ? holds : 0;
    }

    /** @return whether any thread holds the lock */
    synchronized boolean isLocked() {
        return owner != null;
    }

    synchronized boolean hasQueuedThreads() {
        return waiting > 0;
    }
}
