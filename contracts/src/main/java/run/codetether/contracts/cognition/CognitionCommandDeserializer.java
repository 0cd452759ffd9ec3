package run.codetether.contracts.cognition;

import run.codetether.contracts.kafka.ContractDeserializer;

public class CognitionCommandDeserializer extends ContractDeserializer<CognitionCommand> {
    public CognitionCommandDeserializer() {
        super(CognitionCommand.class);
    }
}
