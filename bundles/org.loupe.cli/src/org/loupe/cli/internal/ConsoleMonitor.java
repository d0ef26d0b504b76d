package org.loupe.cli.internal;

import java.io.PrintStream;

import org.eclipse.core.runtime.NullProgressMonitor;

/**
 * Progress on the terminal: the task name, then a line at each further 10 % of the work; cancelled
 * by Ctrl+C or when the {@code --timeout} is up.
 */
final class ConsoleMonitor extends NullProgressMonitor {

    private final PrintStream err;
    private String task = "";
    private double total;
    private double done;
    private int lastDecile = -1;

    private volatile boolean limited;
    private volatile long deadline;

    ConsoleMonitor(PrintStream err) {
        this.err = err;
    }

    /** Cancels the work once {@code timeout} has passed from now. */
    void cancelAfter(java.time.Duration timeout) {
        deadline = System.nanoTime() + timeout.toNanos();
        limited = true;
    }

    /** Whether the work was cancelled because its time was up. */
    boolean timedOut() {
        return limited && System.nanoTime() - deadline >= 0;
    }

    @Override
    public boolean isCanceled() {
        return super.isCanceled() || timedOut();
    }

    @Override
    public void beginTask(String name, int totalWork) {
        task = name == null ? "" : name;
        total = totalWork;
        done = 0;
        lastDecile = -1;
        if (!task.isEmpty()) {
            err.println(task + " ...");
        }
    }

    @Override
    public void internalWorked(double work) {
        done += work;
        if (total > 0) {
            int decile = (int) Math.min(10, Math.floor(10 * done / total));
            if (decile > lastDecile && decile > 0) {
                lastDecile = decile;
                err.printf("  %3d%% %s%n", decile * 10, task);
            }
        }
    }

    @Override
    public void worked(int work) {
        internalWorked(work);
    }
}
