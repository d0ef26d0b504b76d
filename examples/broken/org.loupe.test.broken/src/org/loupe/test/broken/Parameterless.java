package org.loupe.test.broken;

import org.loupe.core.analysis.Analysis;

/** An analysis that takes no parameters. */
abstract class Parameterless implements Analysis<NoParameters> {

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public NoParameters defaults() {
        return new NoParameters();
    }
}
