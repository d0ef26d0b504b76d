package org.loupe.test.broken;

import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.Param;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/**
 * An analysis that never returns and ignores the monitor: it spins until its thread is
 * interrupted, or sleeps forever ignoring interrupts too.
 */
public class Hangs implements Analysis<Hangs.Params> {

    /** How it hangs. */
    public enum How {
        /** A busy loop that ends only when its thread is interrupted. */
        BUSY,
        /** A sleep that ignores cancel and interrupts: it never ends. */
        SLEEP
    }

    /**
     * Parameters.
     *
     * @param how how it hangs
     */
    public record Params(@Param("how it hangs") How how) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(How.BUSY);
    }

    @Override
    public Result run(AnalysisContext context, Params parameters) {
        long spins = 0;
        if (parameters.how() == How.BUSY) {
            while (!Thread.currentThread().isInterrupted()) {
                spins++;
            }
        } else {
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    spins++;
                }
            }
        }
        return new TextResult("stopped", "interrupted after " + spins + " spins");
    }
}
