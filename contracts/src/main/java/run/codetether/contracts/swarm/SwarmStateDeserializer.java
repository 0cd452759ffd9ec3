package run.codetether.contracts.swarm;

import run.codetether.contracts.kafka.ContractDeserializer;

public class SwarmStateDeserializer extends ContractDeserializer<SwarmState> {
    public SwarmStateDeserializer() {
        super(SwarmState.class);
    }
}
