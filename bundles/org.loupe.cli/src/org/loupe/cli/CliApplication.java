package org.loupe.cli;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.loupe.core.plugins.PluginManager;

/**
 * The headless application {@code org.loupe.cli.app}: {@code loupe list}, {@code loupe run}, {@code loupe --help}. It first
 * starts the user's plug-ins (a plug-in that does not start is reported, and the rest still run).
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
        for (String problem : PluginManager.forRunningPlatform().startUp()) {
            System.err.println("loupe: " + problem);
        }
        int code = new Cli(System.out, System.err).run(argv);
        System.out.flush();
        return Integer.valueOf(code);
    }

    @Override
    public void stop() {
    }
}
