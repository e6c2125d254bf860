package io.caravan.logs.process;

/**
 * A stage file that loki.process would refuse. The message names the file, the stage (number counted
 * from 1 and block name, nested through match stages) and the reason.
 */
public class PipelineConfigException extends RuntimeException {

    public PipelineConfigException(String message) {
        super(message);
    }

    public PipelineConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
