package org.loupe.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;

import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Reads a {@code --param} value into the option's map: {@code KEY=VALUE} pairs separated by commas
 * outside parentheses and brackets, so that {@code objective=neuron(blocks.3, 7)} or
 * {@code objective=direction(relu3, [1, 0, 2]),batch=4} keep their commas. A piece without
 * {@code =} continues the value before it: {@code corrupt=occlude:16-48,16-48} and
 * {@code sites=units:3,5,8-11,replacement=mean} are one value with its commas and then the next pair.
 */
final class ParamSplitter implements IParameterConsumer {

    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
        String option = argSpec instanceof picocli.CommandLine.Model.OptionSpec o ? o.longestName() : "--param";
        if (args.isEmpty()) {
            throw new ParameterException(commandSpec.commandLine(), "option " + option + " needs a value");
        }
        Map<String, String> map = argSpec.getValue();
        String key = null;
        for (String part : split(args.pop())) {
            int eq = part.indexOf('=');
            if (eq < 0 && key != null && !part.isBlank()) {
                map.put(key, map.get(key) + "," + part); // occlude:16-48,16-48: the value's own comma
                continue;
            }
            if (part.isBlank()) {
                continue; // a=1,,b=2 or a trailing comma
            }
            if (eq <= 0) {
                throw new ParameterException(commandSpec.commandLine(), option + " takes KEY=VALUE, got '" + part + "'");
            }
            key = part.substring(0, eq).trim();
            map.put(key, part.substring(eq + 1));
        }
    }

    /** {@code text} split at every comma at depth 0 of parentheses and brackets. */
    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if ((c == ')' || c == ']') && depth > 0) {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
