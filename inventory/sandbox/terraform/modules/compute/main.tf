# Kubespray's compute module: the master, the workers, and the master's floating-IP association.
variable "network_id" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "floating_ip_id" {
  type = string
}

variable "worker_count" {
  type = number
}

resource "terraform_data" "k8s_master" {
  input = { kind = "instance", name = "k8s-master", network = var.network_id, subnet = var.subnet_id }
  provisioner "local-exec" {
    interpreter = ["sim-cloud"]
    command     = "create"
    environment = { SIM_CLOUD_KIND = self.input.kind, SIM_CLOUD_ID = self.id, SIM_CLOUD_NAME = self.input.name }
  }
  provisioner "local-exec" {
    when        = destroy
    interpreter = ["sim-cloud"]
    command     = "delete"
    environment = { SIM_CLOUD_KIND = self.input.kind, SIM_CLOUD_ID = self.id, SIM_CLOUD_NAME = self.input.name }
  }
}

resource "terraform_data" "k8s_node" {
  count = var.worker_count
  input = { kind = "instance", name = "k8s-node-${count.index + 1}", network = var.network_id, subnet = var.subnet_id }
  provisioner "local-exec" {
    interpreter = ["sim-cloud"]
    command     = "create"
    environment = { SIM_CLOUD_KIND = self.input.kind, SIM_CLOUD_ID = self.id, SIM_CLOUD_NAME = self.input.name }
  }
  provisioner "local-exec" {
    when        = destroy
    interpreter = ["sim-cloud"]
    command     = "delete"
    environment = { SIM_CLOUD_KIND = self.input.kind, SIM_CLOUD_ID = self.id, SIM_CLOUD_NAME = self.input.name }
  }
}

resource "terraform_data" "k8s_master_fip_association" {
  input = { kind = "floatingip_association", name = "k8s-master-fip-association", floating_ip = var.floating_ip_id, instance = terraform_data.k8s_master.id }
  provisioner "local-exec" {
    interpreter = ["sim-cloud"]
    command     = "create"
    environment = { SIM_CLOUD_KIND = self.input.kind, SIM_CLOUD_ID = self.id, SIM_CLOUD_NAME = self.input.name }
  }
  provisioner "local-exec" {
    when        = destroy
    interpreter = ["sim-cloud"]
    command     = "delete"
    environment = { SIM_CLOUD_KIND = self.input.kind, SIM_CLOUD_ID = self.id, SIM_CLOUD_NAME = self.input.name }
  }
}
