package dev.kafkasdk.examples;

/**
 * One order of the demo, as written to the orders topic: the customer is the record key, the
 * sequence numbers a customer's orders from 0 in the order they were sent.
 *
 * @param id unique order id
 * @param customer the customer id (record key)
 * @param sequence the order's number among the customer's orders
 */
record Order(String id, String customer, int sequence) {

  /** Value format: {@code id,customer,sequence}. */
  String encode() {
    return id + "," + customer + "," + sequence;
  }

  /**
   * Parses {@link #encode()}'s format.
   *
   * @throws IllegalArgumentException if the value is not an order (a poison record)
   */
  static Order parse(String value) {
    String[] fields = value.split(",", -1);
    if (fields.length != 3 || fields[0].isEmpty() || fields[1].isEmpty()) {
      throw new IllegalArgumentException("not an order: '" + value + "'");
    }
    try {
      return new Order(fields[0], fields[1], Integer.parseInt(fields[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an order (bad sequence): '" + value + "'", e);
    }
  }

  /**
   * The value written to the results topic for this order: {@code id,sequence,partition,offset}
   * with the input record's position, so order can be checked against the input log.
   */
  String result(int inputPartition, long inputOffset) {
    return id + "," + sequence + "," + inputPartition + "," + inputOffset;
  }
}
