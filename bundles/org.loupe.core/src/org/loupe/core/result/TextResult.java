package org.loupe.core.result;

/**
 * A few lines of text: a summary or a finding.
 *
 * @param title the title
 * @param text  the text (plain, may contain line breaks)
 *
 * @since 0.1
 */
public record TextResult(String title, String text) implements Result {
}
