package org.loupe.cli.internal;

import picocli.CommandLine.Option;

/** {@code -h}/{@code --help} of every command. */
public final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
}
