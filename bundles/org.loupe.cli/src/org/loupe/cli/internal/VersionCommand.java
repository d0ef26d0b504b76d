package org.loupe.cli.internal;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code loupe version}, the same as {@code loupe --version}. */
@Command(name = "version", description = "print the version")
final class VersionCommand implements Callable<Integer> {

    private final Env env;
    private final String version;

    @Mixin
    HelpOption help;

    VersionCommand(Env env, String version) {
        this.env = env;
        this.version = version;
    }

    @Override
    public Integer call() {
        env.out().println("Loupe " + version);
        return 0;
    }
}
