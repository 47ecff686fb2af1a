module com.example.sneaky {
  requires dev.kafkasdk.producer;
}
