package org.loupe.core.analysis;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one component of a parameter record: the text shown in forms and {@code --help}, and
 * the allowed range for numbers. Components without it are still bound, with no range check.
 *
 * @since 0.1
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {

    /** One line saying what the parameter does. */
    String value();

    /** The smallest allowed value of a number. */
    double min() default Double.NEGATIVE_INFINITY;

    /** The largest allowed value of a number. */
    double max() default Double.POSITIVE_INFINITY;
}
