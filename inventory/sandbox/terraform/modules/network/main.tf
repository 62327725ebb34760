# Kubespray's network module: the cluster's network and subnet, and the router to the public network.
resource "terraform_data" "network" {
  input = { kind = "network", name = "k8s-network" }
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

resource "terraform_data" "subnet" {
  input = { kind = "subnet", name = "k8s-subnet", network = terraform_data.network.id }
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

resource "terraform_data" "router" {
  input = { kind = "router", name = "k8s-router" }
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

resource "terraform_data" "router_interface" {
  input = { kind = "router_interface", name = "k8s-router-interface", router = terraform_data.router.id, subnet = terraform_data.subnet.id }
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

output "network_id" {
  value = terraform_data.network.id
}

output "subnet_id" {
  value = terraform_data.router_interface.input.subnet
}

output "router_id" {
  value = terraform_data.router.id
}
