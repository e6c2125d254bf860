package io.caravan.logs.process;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.caravan.logs.process.gotemplate.GoTemplate;

import java.util.HashMap;
import java.util.Map;

/**
 * stage.template: renders a Go template and writes it to the extracted key {@code source}, creating the key. In
 * the template every extracted value that is a string, number or boolean is a field ({@code .level}), {@code .Value}
 * is source's value (absent when source is) and {@code .Entry} the line. An empty result removes the key; a template
 * that fails on an entry (a function given a key the entry lacks) leaves the entry as it was, as Alloy does.
 */
final class TemplateStage extends Stage.PerEntry {

    private final String source;
    private final GoTemplate template;

    /** Alloy's TemplateConfig: both required; an empty template is allowed (it removes the key). */
    record Args(String source, @JsonDeserialize(using = TemplateArgument.class) String template) implements StageArgs {
        @Override
        public void validate() {
            ArgChecks.required("source", source);
            if (template == null) {
                throw new IllegalArgumentException("'template' is required (a Go template, like template: '{{ .Value | ToLower }}')");
            }
            GoTemplate.parse("template", template);
        }
    }

    TemplateStage(Args args) {
        source = args.source();
        template = GoTemplate.parse("template", args.template());
    }

    @Override
    boolean apply(ProcessEntry e) {
        Map<String, String> data = new HashMap<>(e.extracted.size() + 2);
        for (Map.Entry<String, Object> kv : e.extracted.entrySet()) {
            String s = Extracted.asString(kv.getValue());
            if (s != null) {
                data.put(kv.getKey(), s);
            }
        }
        String value = data.get(source);
        if (value != null) {
            data.put("Value", value);
        }
        data.put("Entry", e.line);
        String out;
        try {
            out = template.execute(data);
        } catch (GoTemplate.ExecutionError failed) {
            return true;
        }
        if (out.isEmpty()) {
            e.extracted.remove(source);
        } else {
            e.extracted.put(source, out);
        }
        return true;
    }
}
