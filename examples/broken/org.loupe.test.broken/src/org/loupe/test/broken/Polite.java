package org.loupe.test.broken;

import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.result.Result;

/** A slow analysis that does what a plug-in should: it watches the monitor and stops when cancelled. */
public class Polite extends Parameterless {

    @Override
    public Result run(AnalysisContext context, NoParameters parameters) {
        context.monitor().beginTask("Waiting to be cancelled", 1);
        while (true) {
            context.checkCanceled();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
