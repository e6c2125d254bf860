package io.caravan.logs.process.gotemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Go text/template, parsed once and run per entry, for stage.template and stage.replace: the subset
 * {@link GoTemplateParser} reads and the functions of {@link TemplateFunctions}. The data is a map: {@code .key}
 * is its value, and a key it does not have is Go's "no value" (printed "&lt;no value&gt;", an error where a
 * function needs a value), as Go's text/template gives for a map.
 */
public final class GoTemplate {

    /** Why a template could not run on one entry; the stage leaves that entry as it was, as Alloy does. */
    public static final class ExecutionError extends Exception {
        ExecutionError(String message) {
            super(message, null, false, false);
        }
    }

    private final List<TemplateNode> nodes;

    private GoTemplate(List<TemplateNode> nodes) {
        this.nodes = nodes;
    }

    /**
     * Parses a stage argument's template. A mistake is an IllegalArgumentException naming the argument and where
     * in it the mistake is, for the stage file to report at start-up.
     */
    public static GoTemplate parse(String argument, String text) {
        try {
            return new GoTemplate(GoTemplateParser.parse(text, TemplateFunctions.names()));
        } catch (GoTemplateParser.SyntaxError e) {
            throw new IllegalArgumentException("'" + argument + "' is not a valid Go template: " + e.getMessage()
                    + " at " + place(text, e.offset));
        }
    }

    /** "column 7 of the template" (with the line when the template has several), apart from the file's own line. */
    private static String place(String text, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return (text.indexOf('\n') >= 0 ? "line " + line + ", " : "") + "column " + column + " of the template";
    }

    public String execute(Map<String, ?> data) throws ExecutionError {
        StringBuilder out = new StringBuilder();
        run(nodes, data, out);
        return out.toString();
    }

    private static void run(List<TemplateNode> nodes, Map<String, ?> data, StringBuilder out) throws ExecutionError {
        for (TemplateNode node : nodes) {
            if (node instanceof TemplateNode.Text t) {
                out.append(t.text());
            } else if (node instanceof TemplateNode.Print p) {
                Object v = pipeline(p.pipeline(), data);
                out.append(v == GoValues.NO_VALUE ? "<no value>" : GoValues.print(v));
            } else if (node instanceof TemplateNode.If f) {
                List<TemplateNode> chosen = f.otherwise();
                for (TemplateNode.Branch b : f.branches()) {
                    if (GoValues.isTrue(pipeline(b.condition(), data))) {
                        chosen = b.body();
                        break;
                    }
                }
                run(chosen, data, out);
            }
        }
    }

    private static Object pipeline(TemplateNode.Pipeline p, Map<String, ?> data) throws ExecutionError {
        Object value = null;
        boolean piped = false;
        for (TemplateNode.Command c : p.commands()) {
            value = command(c, data, piped, value);
            piped = true;
        }
        return value;
    }

    /** One command; {@code piped} says the previous command's value is its last argument. */
    private static Object command(TemplateNode.Command c, Map<String, ?> data, boolean piped, Object previous) throws ExecutionError {
        List<TemplateNode.Operand> ops = c.operands();
        if (!(ops.get(0) instanceof TemplateNode.Function f)) {
            if (ops.size() > 1 || piped) {
                throw new ExecutionError("can't give argument to non-function " + describe(ops.get(0)));
            }
            return operand(ops.get(0), data);
        }
        List<TemplateNode.Operand> argOps = ops.subList(1, ops.size());
        if (TemplateFunctions.SHORT_CIRCUIT.contains(f.name())) {
            return andOr(f.name(), argOps, data, piped, previous);
        }
        List<Object> args = new ArrayList<>(argOps.size() + 1);
        for (TemplateNode.Operand o : argOps) {
            args.add(operand(o, data));
        }
        if (piped) {
            args.add(previous);
        }
        return call(f.name(), args.toArray());
    }

    private static Object call(String name, Object[] args) throws ExecutionError {
        TemplateFunctions.Function fn = TemplateFunctions.named(name);
        if (args.length < fn.min() || (fn.max() >= 0 && args.length > fn.max())) {
            String want = fn.max() < 0 ? "at least " + fn.min() : fn.min() == fn.max() ? "" + fn.min() : fn.min() + " to " + fn.max();
            throw new ExecutionError("wrong number of args for " + name + ": want " + want + " got " + args.length);
        }
        try {
            return fn.body().call(args);
        } catch (ExecutionError e) {
            throw new ExecutionError("error calling " + name + ": " + e.getMessage());
        }
    }

    /** Go's and/or: the first argument that decides (false for and, true for or), else the last; the rest are not evaluated. */
    private static Object andOr(String name, List<TemplateNode.Operand> argOps, Map<String, ?> data, boolean piped, Object previous)
            throws ExecutionError {
        int count = argOps.size() + (piped ? 1 : 0);
        if (count < 1) {
            throw new ExecutionError("wrong number of args for " + name + ": want at least 1 got 0");
        }
        boolean stopOn = name.equals("or");
        Object v = null;
        for (int i = 0; i < count; i++) {
            v = i < argOps.size() ? operand(argOps.get(i), data) : previous;
            if (GoValues.isTrue(v) == stopOn) {
                return v;
            }
        }
        return v;
    }

    private static Object operand(TemplateNode.Operand o, Map<String, ?> data) throws ExecutionError {
        if (o instanceof TemplateNode.Literal l) {
            return l.value();
        }
        if (o instanceof TemplateNode.Field f) {
            return field(f.path(), data);
        }
        if (o instanceof TemplateNode.Nested n) {
            return pipeline(n.pipeline(), data);
        }
        TemplateNode.Function f = (TemplateNode.Function) o;
        return TemplateFunctions.SHORT_CIRCUIT.contains(f.name())
                ? andOr(f.name(), List.of(), data, false, null)
                : call(f.name(), new Object[0]);
    }

    private static Object field(List<String> path, Map<String, ?> data) throws ExecutionError {
        Object v = data;
        for (String name : path) {
            if (v instanceof Map<?, ?> m) {
                v = m.containsKey(name) ? m.get(name) : GoValues.NO_VALUE;
            } else if (v == GoValues.NO_VALUE || v == null) {
                throw new ExecutionError("nil pointer evaluating ." + name);
            } else {
                throw new ExecutionError("can't evaluate field " + name + " in type " + GoValues.typeName(v));
            }
        }
        return v;
    }

    private static String describe(TemplateNode.Operand o) {
        if (o instanceof TemplateNode.Literal l) {
            return l.value() instanceof String s ? GoValues.quote(s) : GoValues.print(l.value());
        }
        if (o instanceof TemplateNode.Field f) {
            return f.path().isEmpty() ? "." : "." + String.join(".", f.path());
        }
        return o instanceof TemplateNode.Function f ? f.name() : "(...)";
    }
}
