package org.loupe.cli;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;

/**
 * The headless application {@code org.loupe.cli.app}: {@code loupe list}, {@code loupe run}, {@code loupe --help}.
 *
 * @since 0.1
 */
public class CliApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) {
        System.setProperty("java.awt.headless", "true");
        Object args = context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        String[] argv = args instanceof String[] a ? a : new String[0];
        context.applicationRunning();
        int code = new Cli(System.out, System.err).run(argv);
        System.out.flush();
        return Integer.valueOf(code);
    }

    @Override
    public void stop() {
    }
}
