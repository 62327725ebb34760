# The sandbox's cloud, shaped like Kubespray's OpenStack configuration (contrib/terraform/openstack):
# a network module, an ips module with the master's floating IP, and a compute module with the
# master and `worker_count` workers. Each resource is a terraform_data whose input says what it asks
# the simulated cloud for; its local-exec provisioners make that call (`sim-cloud create`, and
# `sim-cloud delete` when destroyed), so the cloud follows what terraform decides: the dependency
# graph, -target, saved plans and state locking are terraform's own. cloud.sim.json describes the
# same resources for the stand-in that runs where terraform is not installed.
terraform {
  required_version = ">= 1.4"
}

variable "worker_count" {
  type    = number
  default = 2
}

# The floating IP's address when the cloud is to give a particular one (a twin gets its site's); empty, the cloud picks.
variable "floating_ip_address" {
  type    = string
  default = ""
}

module "network" {
  source = "./modules/network"
}

module "ips" {
  source              = "./modules/ips"
  router_id           = module.network.router_id
  floating_ip_address = var.floating_ip_address
}

module "compute" {
  source         = "./modules/compute"
  network_id     = module.network.network_id
  subnet_id      = module.network.subnet_id
  floating_ip_id = module.ips.k8s_master_fip_id
  worker_count   = var.worker_count
}

output "floating_ip" {
  value = module.ips.k8s_master_fip_address
}
