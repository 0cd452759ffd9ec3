package run.codetether.contracts.cognition;

import run.codetether.contracts.kafka.ContractDeserializer;

public class CognitionRecordDeserializer extends ContractDeserializer<CognitionRecord> {
    public CognitionRecordDeserializer() {
        super(CognitionRecord.class);
    }
}
