# Kubespray's ips module: the master's floating IP, from the public network behind the router.
variable "router_id" {
  type = string
}

variable "floating_ip_address" {
  type    = string
  default = ""
}

resource "terraform_data" "k8s_master_fip" {
  # The cloud hands out the address once; it stays for the life of the floating IP.
  input = {
    kind    = "floatingip"
    name    = "k8s-master-fip"
    router  = var.router_id
    # An address asked for (a twin's, its site's address), else one the cloud picks.
    address = var.floating_ip_address != "" ? var.floating_ip_address : "149.165.${parseint(substr(uuid(), 0, 2), 16) % 250}.${parseint(substr(uuid(), 2, 2), 16) % 250 + 2}"
  }
  lifecycle {
    ignore_changes = [input]
  }
  provisioner "local-exec" {
    interpreter = ["sim-cloud"]
    command     = "create"
    environment = { SIM_CLOUD_KIND = self.input.kind, SIM_CLOUD_ID = self.id, SIM_CLOUD_NAME = self.input.name, SIM_CLOUD_ADDRESS = self.input.address }
  }
  provisioner "local-exec" {
    when        = destroy
    interpreter = ["sim-cloud"]
    command     = "delete"
    environment = { SIM_CLOUD_KIND = self.input.kind, SIM_CLOUD_ID = self.id, SIM_CLOUD_NAME = self.input.name, SIM_CLOUD_ADDRESS = self.input.address }
  }
}

output "k8s_master_fip_id" {
  value = terraform_data.k8s_master_fip.id
}

output "k8s_master_fip_address" {
  value = terraform_data.k8s_master_fip.output.address
}
