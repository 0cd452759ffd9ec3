package run.codetether.contracts.kafka;

import run.codetether.contracts.worker.WorkerCallRequest;

public class WorkerCallRequestDeserializer extends ContractDeserializer<WorkerCallRequest> {
    public WorkerCallRequestDeserializer() {
        super(WorkerCallRequest.class);
    }
}
