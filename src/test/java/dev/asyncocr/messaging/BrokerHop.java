package dev.asyncocr.messaging;

import dev.asyncocr.eval.Benchmark;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonReceiver;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.message.Message;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The floor under the async path's queue hop: messages of a job message's size sent through the
 * service's own {@link BrokerClient} and taken by a consumer that holds credit, as the workers' does,
 * one at a time with idle gaps in between, as a lone client's jobs are.
 *
 * @param acceptedP50Ms send until the broker has accepted the message (what a submission waits for)
 * @param arrivedP50Ms  send until the consumer has it (what a job waits before a worker can start it)
 */
public record BrokerHop(double acceptedP50Ms, double arrivedP50Ms) {

    private static final int SAMPLES = 200;

    public static BrokerHop measure(BrokerEndpoint endpoint, String address) throws Exception {
        Vertx vertx = Vertx.vertx();
        BrokerClient client = new BrokerClient(vertx, endpoint);
        try {
            client.connect(Duration.ofSeconds(10));
            BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
            client.onConnected(connection -> {
                ProtonReceiver receiver = connection.createReceiver(address).setPrefetch(0).setAutoAccept(false);
                BrokerClient.durable(receiver.getSource());
                receiver.handler((delivery, message) -> {
                    arrivals.add(System.nanoTime());
                    delivery.disposition(Accepted.getInstance(), true);
                    receiver.flow(1);
                });
                receiver.open();
                receiver.flow(1);
            });
            double[] accepted = new double[SAMPLES];
            double[] arrived = new double[SAMPLES];
            for (int i = -SAMPLES / 4; i < SAMPLES; i++) { // the first quarter warms up
                Thread.sleep(5); // each sample meets an idle link, as a lone job's message does
                Message message = Proton.message();
                message.setBody(new Data(new Binary(new byte[300])));
                long start = System.nanoTime();
                client.send(address, message).await().atMost(Duration.ofSeconds(10));
                long acceptedAt = System.nanoTime();
                Long arrivedAt = arrivals.poll(10, TimeUnit.SECONDS);
                if (arrivedAt == null) {
                    throw new IllegalStateException("a message sent to " + address + " never arrived");
                }
                if (i >= 0) {
                    accepted[i] = (acceptedAt - start) / 1e6;
                    arrived[i] = (arrivedAt - start) / 1e6;
                }
            }
            return new BrokerHop(median(accepted), median(arrived));
        } finally {
            client.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return Benchmark.percentile(sorted, 0.50);
    }
}
