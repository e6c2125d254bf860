package io.caravan.logs.process;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every stage loki-process knows, in the one place its block name is written: the constant, in lower case, is
 * the name a stage file uses. Each has the record its arguments bind to (Alloy's argument names in snake_case,
 * defaults and checks in the record) and how to build it. Pipeline builds from here; the stage file's errors
 * and README's loki-process row list the names from here (a test keeps README true).
 */
enum StageType {
    STATIC_LABELS(StaticLabelsStage.Args.class, (a, metrics) -> new StaticLabelsStage(a)),
    DROP(DropStage.Args.class, DropStage::new),
    JSON(JsonStage.Args.class, JsonStage::new),
    LABELS(LabelsStage.Args.class, (a, metrics) -> new LabelsStage(a)),
    CRI(CriStage.Args.class, (a, metrics) -> new CriStage(a)),
    REGEX(RegexStage.Args.class, (a, metrics) -> new RegexStage(a)),
    TIMESTAMP(TimestampStage.Args.class, (a, metrics) -> new TimestampStage(a)),
    OUTPUT(OutputStage.Args.class, (a, metrics) -> new OutputStage(a)),
    LABEL_DROP(LabelDropStage.Args.class, (a, metrics) -> new LabelDropStage(a)),
    LABEL_KEEP(LabelKeepStage.Args.class, (a, metrics) -> new LabelKeepStage(a)),
    MATCH(MatchStage.Args.class, MatchStage::new),
    LIMIT(LimitStage.Args.class, LimitStage::new),
    LOGFMT(LogfmtStage.Args.class, (a, metrics) -> new LogfmtStage(a)),
    PACK(PackStage.Args.class, (a, metrics) -> new PackStage(a)),
    DECOLORIZE(DecolorizeStage.Args.class, (a, metrics) -> new DecolorizeStage()),
    SAMPLING(SamplingStage.Args.class, SamplingStage::new),
    DOCKER(DockerStage.Args.class, (a, metrics) -> new DockerStage()),
    TEMPLATE(TemplateStage.Args.class, (a, metrics) -> new TemplateStage(a)),
    REPLACE(ReplaceStage.Args.class, (a, metrics) -> new ReplaceStage(a)),
    MULTILINE(MultilineStage.Args.class, (a, metrics) -> new MultilineStage(a)),
    METRICS(MetricsStage.Args.class, MetricsStage::new),
    STRUCTURED_METADATA(StructuredMetadataStage.Args.class, (a, metrics) -> new StructuredMetadataStage(a)),
    TENANT(TenantStage.Args.class, (a, metrics) -> new TenantStage(a));

    private static final Map<String, StageType> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(StageType::blockName, Function.identity()));

    private final Class<? extends Record> argsType;
    private final BiFunction<StageArgs, StageMetrics, Stage> factory;

    <A extends Record & StageArgs> StageType(Class<A> argsType, BiFunction<A, StageMetrics, Stage> factory) {
        this.argsType = argsType;
        this.factory = (args, metrics) -> factory.apply(argsType.cast(args), metrics);
    }

    /** The block name in a stage file, as in Alloy's stage.NAME blocks. */
    String blockName() {
        return name().toLowerCase(Locale.ROOT);
    }

    Class<? extends Record> argsType() {
        return argsType;
    }

    /** What the stage takes, in the file's spelling and the record's order. */
    List<String> argumentNames() {
        return ArgsBinder.argumentNames(argsType);
    }

    Stage build(StageArgs args, StageMetrics metrics) {
        return factory.apply(args, metrics);
    }

    /** The type of a block name; null when there is none. */
    static StageType named(String blockName) {
        return BY_NAME.get(blockName);
    }

    /** Every block name, in this order, for messages and documentation. */
    static String names() {
        return Arrays.stream(values()).map(StageType::blockName).collect(Collectors.joining(", "));
    }
}
