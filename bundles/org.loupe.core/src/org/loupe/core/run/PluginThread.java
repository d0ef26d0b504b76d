package org.loupe.core.run;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.ProgressMonitorWrapper;
import org.loupe.djl.LoupeEngine;

/**
 * Runs a plug-in's code on a thread of its own while the caller watches the progress monitor: the
 * caller can always stop waiting. Once the monitor is cancelled the plug-in has the grace period to
 * stop; if it does not, its thread is interrupted and abandoned (a daemon, it ends when it ends or
 * with the JVM) and the caller gets a {@link RunAbandonedException}. The caller's libtorch worker
 * threads are ended before the body starts, and the body's when it ends (see
 * {@link LoupeEngine#releaseThreadPool}): with one pool at a time libtorch's workers spin between
 * operators instead of sleeping.
 */
final class PluginThread {

    private static final long POLL_MILLIS = 50;

    private PluginThread() {
    }

    /** A monitor the caller can cancel without the plug-in's monitor knowing how; the plug-in sees either. */
    static final class Cancellable extends ProgressMonitorWrapper {
        private volatile boolean cancelled;

        Cancellable(IProgressMonitor monitor) {
            super(monitor);
        }

        @Override
        public boolean isCanceled() {
            return cancelled || super.isCanceled();
        }

        @Override
        public void setCanceled(boolean value) {
            cancelled = value;
            super.setCanceled(value);
        }
    }

    /**
     * Calls {@code body} on a new thread named {@code threadName}, returns what it returns or
     * rethrows what it throws (unwrapped).
     *
     * @param monitor    watched for cancellation; also the one {@code body} should watch
     * @param grace      how long a cancelled body may take to stop
     * @param abandoned  the message of the {@link RunAbandonedException} if it does not stop in time
     * @throws RunAbandonedException if it was cancelled and did not stop within {@code grace}
     * @throws Throwable             what {@code body} threw
     */
    static <T> T call(String threadName, Callable<T> body, Cancellable monitor, Duration grace, String abandoned) throws Throwable {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        // this thread only waits from now on: its engine workers would keep the body's from spinning
        LoupeEngine.releaseThreadPool();
        Thread worker = new Thread(() -> {
            try {
                outcome.complete(body.call());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            } finally {
                LoupeEngine.releaseThreadPool();
            }
        }, threadName);
        worker.setDaemon(true);
        worker.start();
        long cancelledAt = 0;
        boolean cancelSeen = false;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return outcome.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause();
                } catch (TimeoutException e) {
                    // still running: look at the monitor
                } catch (InterruptedException e) {
                    interrupted = true;
                    monitor.setCanceled(true);
                }
                if (monitor.isCanceled()) {
                    long now = System.nanoTime();
                    if (!cancelSeen) {
                        cancelSeen = true;
                        cancelledAt = now;
                    } else if (now - cancelledAt >= grace.toNanos()) {
                        worker.interrupt();
                        throw new RunAbandonedException(abandoned);
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
