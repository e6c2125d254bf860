package io.caravan.logs.process.gotemplate;

import java.util.List;

/** The syntax tree of a {@link GoTemplate}: the subset of Go's text/template that stage templates use. */
sealed interface TemplateNode {

    /** Text outside actions, copied as it is (after trim markers took their whitespace). */
    record Text(String text) implements TemplateNode {
    }

    /** {{ pipeline }}: the pipeline's value, printed. */
    record Print(Pipeline pipeline) implements TemplateNode {
    }

    /** {{ if }} ... {{ else if }} ... {{ else }} ... {{ end }}: the first branch whose condition is true, else otherwise. */
    record If(List<Branch> branches, List<TemplateNode> otherwise) implements TemplateNode {
    }

    record Branch(Pipeline condition, List<TemplateNode> body) {
    }

    /** Commands joined by '|': each one's value is the last argument of the next. */
    record Pipeline(List<Command> commands) {
    }

    /** A function with its arguments, or a single value. */
    record Command(List<Operand> operands) {
    }

    sealed interface Operand {
    }

    /** .a or .a.b: fields looked up from the data; an empty path is dot itself. */
    record Field(List<String> path) implements Operand {
    }

    /** A string, number, boolean or nil written in the template. */
    record Literal(Object value) implements Operand {
    }

    /** A function name: called with the rest of its command when first, with no arguments elsewhere. */
    record Function(String name) implements Operand {
    }

    /** ( pipeline ) */
    record Nested(Pipeline pipeline) implements Operand {
    }
}
