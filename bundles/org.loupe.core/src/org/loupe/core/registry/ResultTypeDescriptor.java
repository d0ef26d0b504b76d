package org.loupe.core.registry;

import org.eclipse.core.runtime.IConfigurationElement;
import org.loupe.core.result.ResultCodec;

/**
 * A declared result type ({@code resultType} in {@code org.loupe.core.resultTypes}); its codec is created when first used.
 *
 * @since 0.1
 */
public final class ResultTypeDescriptor extends Contribution implements ResultType {

    private volatile ResultCodec<?> codec;

    ResultTypeDescriptor(IConfigurationElement element) {
        super(element);
    }

    @Override
    public String resultClass() {
        return attribute("resultClass");
    }

    @Override
    public ResultCodec<?> codec() {
        ResultCodec<?> c = codec;
        if (c == null) {
            c = create(ResultCodec.class);
            codec = c;
        }
        return c;
    }
}
